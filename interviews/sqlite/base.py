"""Django's SQLite backend, with writers queued by the operating system rather than by SQLite.

SQLite lets one transaction write at a time. A second process that finds the write lock taken
sleeps in SQLite's busy handler for 1, 2, 5, 10 ms and more before it looks again, so under load
the cores sat idle while answers waited. Here every transaction first takes an exclusive lock on a
file beside the database (flock), which the kernel hands to the next waiting process the moment
the transaction ends; the busy handler remains for writes outside transactions.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    lock_file = None  # opened with the first transaction, closed with the connection
    holds_writer_lock = False
    opened_read_only = False

    def get_new_connection(self, conn_params):
        # SQLite opens a file it may not write (a disk remounted read-only) read-only, silently,
        # and such a connection stays read-only: is_usable() replaces it once writing works again.
        self.opened_read_only = not self.is_in_memory_db() and not os.access(self.settings_dict["NAME"], os.W_OK)
        return super().get_new_connection(conn_params)

    def is_usable(self):
        return not (self.opened_read_only and os.access(self.settings_dict["NAME"], os.W_OK))

    def _start_transaction_under_autocommit(self):
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self.lock_file is not None:
                self.lock_file.close()
                self.lock_file = None

    def _take_writer_lock(self):
        if self.holds_writer_lock or self.is_in_memory_db():
            return
        if self.lock_file is None:
            self.lock_file = _open_lock_file(f"{self.settings_dict['NAME']}-writer.lock")
            if self.lock_file is None:  # a read-only disk: SQLite refuses the writes itself
                return
        fcntl.flock(self.lock_file.fileno(), fcntl.LOCK_EX)
        self.holds_writer_lock = True

    def _release_writer_lock(self):
        if self.holds_writer_lock:
            self.holds_writer_lock = False
            fcntl.flock(self.lock_file.fileno(), fcntl.LOCK_UN)


def _open_lock_file(path: str):
    for mode in ("a+b", "rb"):
        try:
            return open(path, mode)  # held for the connection's life
        except OSError:
            continue
    return None
