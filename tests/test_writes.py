"""serialized_writes: the crawler's threads take turns for SQLite writes without SQLite's busy sleeps."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from kiosque.articles.models import Category
from kiosque.writes import serialized_writes

pytestmark = pytest.mark.django_db(transaction=True)


def test_threads_writing_under_the_lock_all_commit():
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with serialized_writes(), transaction.atomic():
                    Category.objects.create(name=f"c{n}-{i}", slug=f"c{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Category.objects.count() == 60


def test_inside_a_transaction_the_lock_is_not_taken():
    """A connection already in a transaction may hold SQLite's write lock: waiting there could deadlock."""
    from kiosque import writes

    with transaction.atomic():
        taken = threading.Event()

        def other() -> None:
            with writes._LOCK:
                taken.set()

        with serialized_writes():
            thread = threading.Thread(target=other)
            thread.start()
            assert taken.wait(timeout=5)  # the lock was free although we are inside serialized_writes
            thread.join()


def test_outside_a_transaction_sqlite_writers_take_turns():
    from kiosque import writes

    with serialized_writes():
        free = threading.Event()

        def other() -> None:
            if writes._LOCK.acquire(timeout=0.2):
                writes._LOCK.release()
                free.set()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert free.is_set() == (connection.vendor != "sqlite")  # held on SQLite only; PostgreSQL locks rows
