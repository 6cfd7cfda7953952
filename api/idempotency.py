"""One ClientToken per submission, so that no retry can start a second build.

StartBuild is idempotent on its ClientToken: the same token with the same
parameters returns the build already started. The form keeps one
:class:`SubmissionTokens`; submitting the same parameters again (a retry after
a timeout, a throttle or a lost response) reuses the token, while any edit is a
new submission and gets a new one (reusing it would be an
IdempotentParameterMismatchException, and would be wrong: it is another build).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable

from api.builds import StartBuildRequest


class SubmissionTokens:
    """Hands out ClientTokens: the same one for the same parameters, a new one after an edit."""

    def __init__(self, new_token: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._new_token = new_token
        self._last: StartBuildRequest | None = None
        self._token = ""

    def stamp(self, request: StartBuildRequest) -> StartBuildRequest:
        """``request`` carrying this submission's token."""
        bare = dataclasses.replace(request, client_token="")
        if bare != self._last:
            self._last, self._token = bare, self._new_token()
        return dataclasses.replace(request, client_token=self._token)

    def forget(self) -> None:
        """After a success: the next submission is a new build, even with the same fields."""
        self._last = None
