"""The public names are exactly the documented ones, exported from lepta and lepta.reactive."""

import lepta
import lepta.reactive

REACTIVE_API = {
    "signal", "ReadSignal", "WriteSignal", "RwSignal", "Memo", "Effect", "RenderEffect",
    "watch", "batch", "untrack", "tick", "flush", "Owner", "on_cleanup", "provide_context",
    "use_context", "expect_context", "Trigger", "StoredValue", "Selector", "LeptaError",
    "DisposedError", "CycleError", "EffectLoopError", "MissingContextError", "NoOwnerError",
    "EffectErrors", "ErrorHandler", "current_scope", "graph_stats", "set_debug",
    "set_scheduler",
}


def test_lepta_reactive_exports_exactly_its_api():
    assert set(lepta.reactive.__all__) == REACTIVE_API
    for name in REACTIVE_API:
        assert getattr(lepta.reactive, name) is not None


VIEW_API = {"component", "ComponentError", "el", "render_to_string"}


def test_lepta_exports_the_reactive_and_view_api():
    assert set(lepta.__all__) == REACTIVE_API | VIEW_API


def test_lepta_reexports_the_reactive_api():
    for name in REACTIVE_API:
        assert getattr(lepta, name) is getattr(lepta.reactive, name)
        assert name in lepta.__all__


def test_every_error_is_a_lepta_error():
    for name in ["DisposedError", "CycleError", "EffectLoopError", "MissingContextError",
                 "NoOwnerError", "EffectErrors"]:
        assert issubclass(getattr(lepta, name), lepta.LeptaError)
