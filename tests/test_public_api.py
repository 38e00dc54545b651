"""The public names are exactly the documented ones, exported from lepta and lepta.reactive."""

import lepta
import lepta.reactive

REACTIVE_API = {
    "signal", "ReadSignal", "WriteSignal", "RwSignal", "Memo", "Effect", "RenderEffect",
    "watch", "batch", "untrack", "tick", "flush", "Owner", "on_cleanup", "provide_context",
    "use_context", "expect_context", "Trigger", "StoredValue", "Selector", "LeptaError",
    "DisposedError", "CycleError", "EffectLoopError", "MissingContextError", "NoOwnerError",
    "EffectErrors", "ErrorHandler", "current_scope", "graph_stats", "set_debug",
    "set_scheduler", "spawn", "Action", "MultiAction", "Submission", "Resource",
    "LocalResource", "OnceResource", "AsyncDerived", "ResourceError",
}


def test_lepta_reactive_exports_exactly_its_api():
    assert set(lepta.reactive.__all__) == REACTIVE_API
    for name in REACTIVE_API:
        assert getattr(lepta.reactive, name) is not None


VIEW_API = {
    "component", "ComponentError", "el", "render_to_string", "Show", "Dynamic", "For",
    "ForEnumerate", "Portal", "ErrorBoundary", "Provider", "mount_to", "mount_to_body",
    "hydrate", "hydrate_body", "NodeRef", "event_target_value", "event_target_checked",
    "Suspense", "Transition", "Await", "render_to_stream", "Location", "use_location",
    "use_nonce",
}
SERVER_FN_API = {
    "ServerError", "ServerAction", "ServerMultiAction", "ActionForm",
    "MultiActionForm", "use_request", "use_response", "redirect",
}
ROUTER_API = {
    "Router", "Routes", "Route", "ParentRoute", "ProtectedRoute", "Outlet", "Redirect",
    "A", "Form", "use_params", "use_query", "use_navigate", "query_signal",
}
STORE_API = {"Store"}


def test_lepta_exports_the_reactive_and_view_api():
    assert set(lepta.__all__) == REACTIVE_API | VIEW_API | SERVER_FN_API | ROUTER_API | STORE_API


def test_lepta_reexports_the_reactive_api():
    for name in REACTIVE_API:
        assert getattr(lepta, name) is getattr(lepta.reactive, name)
        assert name in lepta.__all__


def test_every_error_is_a_lepta_error():
    for name in ["DisposedError", "CycleError", "EffectLoopError", "MissingContextError",
                 "NoOwnerError", "EffectErrors"]:
        assert issubclass(getattr(lepta, name), lepta.LeptaError)


def test_the_view_and_ssr_packages_export_their_api():
    import lepta.ssr
    import lepta.view

    assert set(lepta.view.__all__) == {
        "Builder", "Component", "ComponentCall", "ComponentError", "Element", "component", "el",
        "Show", "Dynamic", "For", "ForEnumerate", "Portal", "ErrorBoundary", "Provider",
        "Suspense", "Transition", "Await", "Location", "use_location",
        "PageNonce", "use_nonce",
    }
    assert set(lepta.ssr.__all__) == {
        "BLOCKED_URL", "InvalidChildError", "escape_attr", "escape_text", "is_dangerous_url",
        "render_to_string", "render_to_stream", "safe_url", "UnsafeValueError",
    }
    for module in (lepta.view, lepta.ssr):
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_the_element_modules_export_one_builder_per_element():
    import lepta.html
    import lepta.mathml
    import lepta.svg
    from lepta.view import Builder

    for module, count in ((lepta.html, 113), (lepta.svg, 63), (lepta.mathml, 31)):
        builders = [n for n in module.__all__ if isinstance(getattr(module, n), Builder)]
        assert len(builders) == count, module.__name__
    assert lepta.html.del_.tag == "del"
    assert lepta.svg.linearGradient.tag == "linearGradient"
    assert lepta.mathml.annotation_xml.tag == "annotation-xml"


def test_the_dom_and_testing_packages_export_their_api():
    import lepta.dom
    import lepta.testing

    assert set(lepta.dom.__all__) == {
        "HydrationMismatch", "HydrationMismatchWarning", "InvalidChildError", "MountHandle",
        "NodeRef", "Renderer", "event_target_checked", "event_target_value", "hydrate",
        "hydrate_body", "mount_to", "mount_to_body", "set_renderer",
    }
    assert set(lepta.testing.__all__) == {
        "ActionError", "Comment", "Document", "Element", "ElementNotFound", "Event",
        "LeptaClient", "MemoryDOM", "MemoryPage", "MultipleElementsFound", "Queries",
        "QueryError", "Text", "client", "render", "render_server", "strict_hydration",
    }
    assert issubclass(lepta.dom.HydrationMismatchWarning, UserWarning)


def test_both_renderers_raise_the_same_invalid_child_error():
    import lepta.dom
    import lepta.ssr

    assert lepta.dom.InvalidChildError is lepta.ssr.InvalidChildError
    assert issubclass(lepta.ssr.InvalidChildError, TypeError)
