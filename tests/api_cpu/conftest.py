"""What an API request costs beyond its work: the token cache and the limiter's storage."""

from tests.api_cpu.fixtures import counted_token_queries, limits_on  # noqa: F401
from tests.pieces.fixtures import acme, api  # noqa: F401
