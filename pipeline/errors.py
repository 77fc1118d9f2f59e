"""Errors a user can act on: each names the file, the problem and what to do."""


class DocumentError(Exception):
    """A document that cannot be turned into an edition (deterministic: retrying will not help)."""

    def __init__(self, file_name: str, problem: str, advice: str = ""):
        self.file_name = file_name
        self.problem = problem
        self.advice = advice
        message = f"{file_name}: {problem}"
        if advice:
            message += f" ({advice})"
        super().__init__(message)

    def __reduce__(self):  # pickled as it was made: a page's problem comes back from another process
        return type(self), (self.file_name, self.problem, self.advice)


class EmptyDocument(DocumentError):
    """A file with no text at all (empty, or only whitespace): a warning, not a failure."""
