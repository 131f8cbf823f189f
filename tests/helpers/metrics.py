"""Reading /metrics as a scraper does: one sample's value from the text exposition."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "scraper-token-0123456789abcdef"  # METRICS_TOKEN in tests


def scrape(client: Any) -> str:
    """The exposition, fetched with the bearer token (the client is not on loopback)."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.status_code
    return str(response.text)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with exactly these `labels`; 0 when absent."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return 0.0


def value(client: Any, name: str, **labels: str) -> float:
    return sample(scrape(client), name, **labels)
