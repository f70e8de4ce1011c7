from ..core import VALUE
from .. import util as U
from . import leaf

DEEP = VALUE + U.f() + leaf.ONE
