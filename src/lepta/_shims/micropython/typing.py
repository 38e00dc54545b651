"""The part of `typing` that Lepta's portable code uses, for MicroPython only.

Annotations are never evaluated on MicroPython; only names used at run time need
to exist: TypeVar(), Generic[...] as a base class, and the names imported.
"""

TYPE_CHECKING = False


class _Anything:
    """Stands for any typing construct: subscriptable, callable, usable as a base."""

    def __getitem__(self, item):
        return object

    def __call__(self, *args, **kwargs):
        return self


def TypeVar(name, *constraints, **options):
    return name


def cast(kind, value):
    return value


def overload(fn):
    return fn


def final(x):
    return x


Generic = _Anything()
Protocol = object
Any = Callable = Iterable = Iterator = Optional = Union = ClassVar = Literal = _Anything()
Awaitable = Coroutine = Sequence = Mapping = MutableMapping = Hashable = _Anything()
AsyncIterator = AsyncGenerator = AsyncIterable = _Anything()
ParamSpec = Concatenate = TypeAlias = Self = NoReturn = _Anything()
