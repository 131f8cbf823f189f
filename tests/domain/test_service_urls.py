"""Connection URLs shown in messages: passwords masked, everything else as given."""

from __future__ import annotations

import pytest

from crowdsource.domain.service_urls import masked_url, unreachable


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgres://app:s3cr%40t@db:5432/cs?sslmode=require",
            "postgres://app:***@db:5432/cs?sslmode=require",
        ),
        ("redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0"),
        ("rediss://default:a:b@c@cache:6380", "rediss://default:***@cache:6380"),
        (
            "postgres://app@db/cs?password=s3cret&application_name=x",
            "postgres://app@db/cs?password=***&application_name=x",
        ),
        (
            "postgres://app@db/cs?sslmode=verify-full&sslkey=/k.pem&sslpassword=k3y&passfile=/p",
            "postgres://app@db/cs?sslmode=verify-full&sslkey=/k.pem&sslpassword=***&passfile=/p",
        ),
        (
            "rediss://cache:6380/0?ssl_password=k3y&PASSWD=x&pwd=y&auth=z&client_name=cs",
            "rediss://cache:6380/0?ssl_password=***&PASSWD=***&pwd=***&auth=***&client_name=cs",
        ),
        ("postgres://app@db/cs", "postgres://app@db/cs"),
        ("sqlite:///var/lib/crowdsource/db.sqlite3", "sqlite:///var/lib/crowdsource/db.sqlite3"),
        ("sqlite://data/crowdsource.sqlite3", "sqlite://data/crowdsource.sqlite3"),
    ],
)
def test_masked_url_hides_only_the_password(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_unreachable_is_one_line_naming_the_variable() -> None:
    error = OSError("Multiple exceptions: first\nsecond")
    message = str(unreachable("DATABASE_URL", "postgres://u:pw@h/db", error, 10))
    assert (
        message
        == "cannot connect to DATABASE_URL postgres://u:***@h/db: Multiple exceptions: first"
    )


def test_a_silent_timeout_says_how_long_it_waited() -> None:
    message = str(unreachable("REDIS_URL", "redis://h", TimeoutError(), 2.5))
    assert message == "cannot connect to REDIS_URL redis://h: no answer within 2.5 s"
