from . import helper

VALUE = helper.BASE + 1
