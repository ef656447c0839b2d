"""Fixtures shared by every test: the real area tree and the demo personas, loaded once.

The test database is built once per worker with the 1,903 Kunming areas and the
twelve personas; each test runs in a transaction that is rolled back, so tests
may change anything without affecting each other.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoDbBlocker

from sihai.accounts.models import User
from sihai.accounts.seed import seed_personas
from sihai.areas.services import areas_load_file
from sihai.core.seeding import SCALES, SeedContext


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    with django_db_blocker.unblock():
        areas_load_file()
        seed_personas(SeedContext(SCALES["demo"], random.Random(1), io.StringIO()))


@pytest.fixture
def persona(db: None) -> Callable[[str], User]:
    """``persona("cuihu_worker")``: one of the documented demo personas."""

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_as(persona: Callable[[str], User]) -> Callable[[str], Client]:
    """``client_as("wuhua_officer")``: a test client signed in as that persona."""

    def make(username: str, language: str = "zh-hans") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(persona(username))
        return client

    return make
