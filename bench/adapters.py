"""CPython adapters exposing the ``fw`` API of reactive_cases.py.

Each adapter uses the fastest public way to create/read/write in its
library: read and write handles are pre-bound methods (``.get`` / ``.set``),
so a hot read is one bound-method call with no adapter frame in between.

Besides the case API every adapter has
  skip        {case_name: reason} for cases the library cannot finish
  mem_signal  the library's own signal constructor (memory of native objects)
  mem_memo    the library's own memo constructor, object callable as m()
"""


class LeptaAdapter:
    name = "lepta"

    def __init__(self, bound=False):
        from lepta.reactive import Effect, Memo, Owner, batch, flush, signal

        def fw_signal(value):
            r, w = signal(value)
            return r.get, w.set

        if not bound:
            fw_signal = signal
        else:
            self.name = "lepta-bound"

        def computed(fn):
            return Memo(fn).get

        def root(fn):
            owner = Owner()
            with owner:
                result = fn()
            return result, owner.dispose

        self.skip = {}
        self.signal = fw_signal
        self.computed = computed
        self.effect = Effect        # the Owner keeps it alive
        self.batch = batch          # batch(fn): effects run at batch exit
        self.settle = flush
        self.root = root
        self.mem_signal = signal
        self.mem_memo = Memo


class ReaktivAdapter:
    """reaktiv (https://pypi.org/project/reaktiv/), checked against 0.24.2.

    Semantics that shaped this adapter:
    - Effects run synchronously: at creation (unless inside a batch) and
      inside Signal.set (each set is its own mini-batch that flushes on
      exit); ``with batch():`` flushes at the outermost exit.  Nothing is
      ever pending outside a batch, so settle() is a no-op.
    - Effects are only weakly referenced by their sources: an Effect nobody
      holds is garbage-collected and stops.  root() therefore keeps every
      Effect created inside it and dispose() disposes them.  There is no
      owner/scope concept; memos need no disposal (no effect, no subscriber).
    - Effect() inspects fn's signature: a fn with one parameter is called
      with an on_cleanup registrar, so effect fns must take no argument.
    - Equality is identity (``is``) for signals and computeds.
    - Thread safety is on by default (an RLock per Signal, taken on every
      get/set).  set_thread_safety(False) is public and the default here
      (``thread_safe=True`` to measure the library's default mode); the flag
      is read when a signal is created, so root() re-applies it.
    - ``Computed(fn)`` runs inspect.signature on fn; the exported
      ``ComputeSignal(fn)`` is the same object without that cost.
    - A computed re-notifies all its targets every time it is notified (no
      "already notified" short-cut), so notification is exponential in the
      depth of a graph with re-converging paths: cellx at 20 layers takes
      ~3 s and grows ~1.55x per layer.  cellx1000/2500 are skipped.
    """

    name = "reaktiv"

    def __init__(self, thread_safe=False):
        import reaktiv
        from reaktiv import ComputeSignal, Effect, Signal, batch

        reaktiv.set_thread_safety(thread_safe)
        self.thread_safe = thread_safe
        if thread_safe:
            self.name = "reaktiv-ts"
        self.skip = {
            "cellx1000": "exponential notification (20 layers ~3 s)",
            "cellx2500": "exponential notification (20 layers ~3 s)",
        }
        scope = [[]]  # effects of the innermost root

        def signal(value):
            s = Signal(value)
            return s.get, s.set

        def computed(fn):
            return ComputeSignal(fn).get

        def effect(fn):
            scope[0].append(Effect(fn))

        def fw_batch(fn):
            with batch():
                fn()

        def settle():
            pass

        def root(fn):
            reaktiv.set_thread_safety(thread_safe)
            prev = scope[0]
            owned = []
            scope[0] = owned
            try:
                result = fn()
            finally:
                scope[0] = prev

            def dispose():
                for e in owned:
                    e.dispose()
                del owned[:]
            return result, dispose

        self.signal = signal
        self.computed = computed
        self.effect = effect
        self.batch = fw_batch
        self.settle = settle
        self.root = root
        self.mem_signal = Signal
        self.mem_memo = ComputeSignal


class NaiveAdapter:
    """The tiny reference implementation in _naive.py (correctness oracle)."""

    def __new__(cls):
        from _naive import NaiveAdapter as N
        fw = N()
        fw.skip = {}
        fw.mem_signal = None
        fw.mem_memo = None
        return fw


ENGINES = {
    "lepta": LeptaAdapter,
    "lepta-bound": lambda: LeptaAdapter(bound=True),
    "reaktiv": ReaktivAdapter,
    "reaktiv-ts": lambda: ReaktivAdapter(thread_safe=True),
    "naive": NaiveAdapter,
}
