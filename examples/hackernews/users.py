"""/users/:id: a user's id, created date, karma and about."""

from api import get_user

from lepta import Resource, Suspense, component, use_params, use_response
from lepta.html import div, h1, li, p, span, ul
from lepta.meta import Title


@component
def UserPage():
    params = use_params()
    user = Resource(lambda: params["id"], get_user)

    def view():
        found = user()
        if found is not None:
            return UserView(user=found)
        if user.loading():
            return None
        use_response().status = 404  # the route is async: the status waits for the data
        return [Title("User not found"), h1("User not found", id="not-found")]

    return div(Suspense(view, fallback=p("Loading...", class_="loading")), class_="user-view")


@component
def UserView(user):
    return [
        Title("Profile: " + user["id"]),
        h1("User: ", user["id"], id="user"),
        ul(
            li(span("Created: ", class_="label"), span(user["created"], id="created")),
            li(span("Karma: ", class_="label"), span(str(user["karma"]), id="karma")),
            li(user["about"], class_="about", id="about") if user["about"] else None,
            class_="meta",
        ),
    ]
