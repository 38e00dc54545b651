"""No sticky sessions: the end-to-end suites of examples/todo_app_sqlite and
examples/session_auth, test for test, against the apps as they run in production.

Each app is served by two groups of `lepta serve --workers 2`, each group on a port of
its own, behind Debian's nginx passing requests to them in turn (round robin, no
affinity), on a throwaway cluster of Debian's PostgreSQL (tests/infra.py). Both
runtimes and the pages without JavaScript run, as in the suites on one server with
SQLite, but with `LEPTA_ENV=production` (Secure cookies: Chromium keeps them from
http://127.0.0.1). The groups share only the database and `LEPTA_SECRET_KEY`; nginx takes
turns request by request, so a session cookie written by one group is read by the
other, a todo added through one is listed by the other, and the failed logins one
counts are refused by the other. Every test ends by checking, in nginx's access log,
that both groups answered some of its requests: a test that one group could have
passed alone proves nothing here.

The cluster is started once for the module; each (app, runtime) gets a database and
a deployment of its own, as each gets a server of its own in the suites. The todo
suite wants an empty list for each test: the table is emptied instead of a new file
made, and "a restart of the server" restarts both groups.
"""

import itertools

import pytest

from infra import Deployment, postgres_cluster, secret_key

from . import test_session_auth as session_auth
from . import test_todo_app_sqlite as todo_app
from .conftest import EXAMPLES, RUNTIMES, close_and_check

# Both suites' tests, collected here again, with the fixtures below in place of those
# that start a server.
_suites = [todo_app, session_auth]
_tests = {name: f for m in _suites for name, f in vars(m).items() if name.startswith("test_")}
assert len(_tests) == sum(len([n for n in vars(m) if n.startswith("test_")]) for m in _suites)
globals().update(_tests)
visit_todos = todo_app.visit_todos
mode = session_auth.mode
visitor = session_auth.visitor

_databases = itertools.count(1)


@pytest.fixture(scope="module")
def postgres():
    with postgres_cluster() as pg:
        yield pg


def deploy(postgres, app, runtime):
    """`app` for `runtime` on a new database, two groups of two workers behind nginx;
    `.database` names its database."""
    database = "%s_%s_%d" % (app, runtime, next(_databases))
    env = {
        "DATABASE_URL": postgres.create_database(database),
        "LEPTA_SECRET_KEY": secret_key(),  # the same for both groups
        # As on a server: Secure cookies, which Chromium keeps from http://127.0.0.1
        # too (a loopback address is a secure context).
        "LEPTA_ENV": "production",
    }
    running = Deployment(EXAMPLES / app, env, workers=2, groups=2, runtime=runtime)
    running.database = database
    return running.start()


@pytest.fixture
def every_group_answers():
    """watch(deployment): from now until the test ends, both groups answer requests."""
    watched = []

    def watch(running):
        watched.append((running, running.nginx.log_mark()))
        return running

    yield watch
    for running, mark in watched:
        check_every_group_answered(running, mark)


def check_every_group_answered(running, mark):
    counts = running.groups_answering(since=mark)
    assert all(counts.values()), (
        "a group answered none of the test's requests (by port: %s):\n%s"
        % (dict(counts), "\n".join(running.nginx.log_lines(mark)))
    )


# examples/todo_app_sqlite


@pytest.fixture(scope="module", params=RUNTIMES)
def todo_deployment(request, postgres):
    running = deploy(postgres, "todo_app_sqlite", request.param)
    yield running
    running.close()


@pytest.fixture
def todo_server(todo_deployment, postgres, every_group_answers):
    """The todo app behind nginx with no todos: `url`, `stop()`, `start()`."""
    postgres.execute(todo_deployment.database, "TRUNCATE todos RESTART IDENTITY")
    return every_group_answers(todo_deployment)


# examples/session_auth


@pytest.fixture(scope="module")
def session_auth_deployments(postgres):
    """deployment(runtime), started on first use, for the rest of the module."""
    running = {}

    def get(runtime):
        if runtime not in running:
            running[runtime] = deploy(postgres, "session_auth", runtime)
        return running[runtime]

    yield get
    for deployed in running.values():
        deployed.close()


@pytest.fixture
def base(session_auth_deployments, mode, every_group_answers):
    runtime = "micropython" if mode == "no-javascript" else mode
    return every_group_answers(session_auth_deployments(runtime)).url


@pytest.fixture
def lone_base(postgres):
    running = deploy(postgres, "session_auth", "micropython")
    try:
        mark = running.nginx.log_mark()
        yield running.url
        check_every_group_answered(running, mark)
    finally:
        running.close()


def test_the_apps_run_in_production_with_secure_session_cookies(
    browser, session_auth_deployments, every_group_answers
):
    running = every_group_answers(session_auth_deployments("micropython"))
    name = session_auth.new_name()
    session_auth.sign_up_elsewhere(browser, running.url, name)
    v = session_auth.Visitor(browser, running.url, scripts=True)
    try:
        v.open("/login")
        v.log_in(name)
        v.page.wait_for_selector("#username:text('%s')" % name)
        (cookie,) = [c for c in v.visit.context.cookies() if c["name"] == "lepta_session"]
        assert cookie["secure"] is True
    finally:
        close_and_check([v.visit])
