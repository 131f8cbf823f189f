"""What the fuzz tests share: derandomised settings, hostile JSON values and text."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# The same examples on every run: CI must not turn red on a new random draw. Wider random
# searches are run by hand (settings(max_examples=1500, derandomize=False): ~27,000
# examples clean after the out-of-range choice id was fixed).
FUZZ = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
nasty_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400
) | st.sampled_from(["", " ", "\x00", "\u202e", "<script>alert(1)</script>", "=1+1", "x" * 5000])


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)
