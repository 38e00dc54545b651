"""The router: route paths matched by specificity (the route table and navigation
build on them).

    from lepta.router import PathPattern, ranked, first_match
"""

from ._path import PathPattern, RouteConflictError, canonical, first_match, ranked

__all__ = ["PathPattern", "RouteConflictError", "canonical", "first_match", "ranked"]
