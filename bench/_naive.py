# Tiny reference reactive system: a correctness oracle for reactive_cases.py.
# Portable (CPython + MicroPython).  Not fast, not part of lepta.
#
# Push-pull with three-colour marking: a write marks direct observers DIRTY
# and everything further down CHECK; a pull re-runs a node only if one of
# its sources really changed (== comparison).  Effects are queued and run
# by settle() / at the end of the outermost batch (never on write outside a
# batch), so cases cannot rely on eager effects.

CLEAN = 0
CHECK = 1
DIRTY = 2

_ctx = [None, 0, [], None]  # observer, batch depth, pending effects, owner


class _Source:
    def __init__(self, value):
        self.value = value
        self.observers = set()

    def _track(self):
        obs = _ctx[0]
        if obs is not None and self not in obs.srcset:
            obs.srcset.add(self)
            obs.sources.append(self)
            self.observers.add(obs)


class _Signal(_Source):
    def get(self):
        self._track()
        return self.value

    def set(self, v):
        if v == self.value:
            return
        self.value = v
        for o in list(self.observers):
            o._mark(DIRTY)


class _Node(_Source):
    def __init__(self, fn, effect):
        _Source.__init__(self, None)
        self.fn = fn
        self.sources = []
        self.srcset = set()
        self.state = DIRTY
        self.effect = effect
        self.dead = False
        self.fresh = True

    def _mark(self, state):
        if self.state < state:
            if self.state == CLEAN and self.effect:
                _ctx[2].append(self)
            self.state = state
            for o in self.observers:
                o._mark(CHECK)

    def _update(self):
        if self.state == CHECK:
            for s in self.sources:
                if isinstance(s, _Node):
                    s._update()
                    if self.state == DIRTY:
                        break
        if self.state == DIRTY:
            self._run()
        self.state = CLEAN

    def _unlink(self):
        for s in self.sources:
            s.observers.remove(self)
        self.sources = []
        self.srcset = set()

    def _run(self):
        self._unlink()
        prev = _ctx[0]
        _ctx[0] = self
        try:
            v = self.fn()
        finally:
            _ctx[0] = prev
        if self.fresh or v != self.value:
            self.fresh = False
            self.value = v
            for o in self.observers:
                o.state = DIRTY

    def get(self):
        self._update()
        self._track()
        return self.value


def _flush():
    q = _ctx[2]
    while q:
        _ctx[2] = []
        for e in q:
            if not e.dead:
                e._update()
        q = _ctx[2]


class NaiveAdapter:
    name = "naive"

    def signal(self, value):
        s = _Signal(value)
        return s.get, s.set

    def computed(self, fn):
        return _Node(fn, False).get

    def effect(self, fn):
        e = _Node(fn, True)
        _ctx[2].append(e)
        if _ctx[3] is not None:
            _ctx[3].append(e)

    def batch(self, fn):
        _ctx[1] += 1
        try:
            fn()
        finally:
            _ctx[1] -= 1
        if _ctx[1] == 0:
            _flush()

    def settle(self):
        if _ctx[1] == 0:
            _flush()

    def root(self, fn):
        prev = _ctx[3]
        owned = []
        _ctx[3] = owned
        try:
            result = fn()
        finally:
            _ctx[3] = prev

        def dispose():
            for e in owned:
                e.dead = True
                e._unlink()
            del owned[:]

        return result, dispose
