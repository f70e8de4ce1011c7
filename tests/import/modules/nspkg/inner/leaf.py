from ..mod import VALUE

LEAF = VALUE * 2
