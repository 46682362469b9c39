"""Fixtures shared by the test packages: one user per role, the shared sample bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE_BUNDLE = Path(__file__).parent / "data" / "legacy-baoding"
PASSWORD = "Shebao-test-2024"
OTHER_EMPLOYER = "保定市某某商贸有限公司"  # an employer nobody in the sample worked for


@pytest.fixture
def sample_bundle() -> Path:
    """The shared sample pile (../shared/samples/legacy-baoding) with its truth.json."""
    return SAMPLE_BUNDLE


@pytest.fixture
def users(db) -> dict:
    """One active user per role, keyed by role value; password ``PASSWORD``.

    The employer HR clerk belongs to ``OTHER_EMPLOYER``, so sees no one in the sample.
    """
    from shebao.accounts.models import Role
    from shebao.accounts.services import create_user
    from shebao.people.models import Employer

    employer, _ = Employer.objects.get_or_create(name=OTHER_EMPLOYER)
    return {
        role.value: create_user(
            role.value, PASSWORD, role.value, employer=employer if role == Role.EMPLOYER_HR else None
        )
        for role in Role
    }


@pytest.fixture
def imported_sample(db, sample_bundle):
    """The sample bundle imported with the built-in policy (pooling_start 1987-01); returns the report."""
    from shebao.contributions.imports import import_paths

    return import_paths([sample_bundle])


# Property tests: CI runs a bounded, derandomised profile; HYPOTHESIS_PROFILE=deep digs further.
def _register_hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        max_examples=200,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    settings.register_profile(
        "deep",
        max_examples=5000,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()
