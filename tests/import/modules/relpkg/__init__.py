from .core import VALUE
from . import util

NAME = __name__
