"""One run at a time: the per-target flock, contention, stale locks; plus process helpers
shared by the worker and privacy tests (real subprocesses, bounded timeouts)."""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import pytest

from sow_sheets.cli import main
from sow_sheets.model.errors import RunLockedError
from sow_sheets.service.runlock import RunLock, lock_path, lock_target, run_lock
from sow_sheets.settings import Settings, SheetSettings

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _demo_master() -> Path:
    folder = tempfile.mkdtemp(prefix="sow-demo-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / "demo.xlsx"
    assert main(["demo", str(path)], out=io.StringIO()) == 0
    return path


def demo_copy(tmp_path: Path) -> Path:
    """A fresh copy of the demo workbook (written and synced once per test session)."""
    return Path(shutil.copy(_demo_master(), tmp_path / "demo.xlsx"))


@pytest.fixture
def demo_workbook(tmp_path: Path) -> Path:
    return demo_copy(tmp_path)


class Process:
    """``python -m sow_sheets ARGS`` (optionally after a Python ``prelude``) in the background,
    with its lock dir in ``tmp_path``; output collected by reader threads."""

    def __init__(self, tmp_path: Path, *args: str, prelude: str = "") -> None:
        runner = (
            prelude + "\nimport sys\nfrom sow_sheets.cli import main\nsys.exit(main(sys.argv[1:]))"
        )
        self.argv = [sys.executable, "-c", runner, *args]
        self.env = {**os.environ, "SOW_SHEETS_LOCK_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
        self.out: list[str] = []
        self.err: list[str] = []

    def __enter__(self) -> Process:
        self.proc = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.readers = [
            threading.Thread(target=self._read, args=(stream, sink), daemon=True)
            for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()
        return self

    @staticmethod
    def _read(stream: io.TextIOBase, sink: list[str]) -> None:
        for line in stream:
            sink.append(line)

    def wait_for(self, marker: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while marker not in "".join(self.err):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.1)
                pytest.fail(f"no {marker!r} (exit {self.proc.poll()}): {''.join(self.err)}")
            time.sleep(0.02)

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def exit_code(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        for reader in self.readers:
            reader.join(5)
        return code

    def stderr_text(self) -> str:
        return "".join(self.err)

    def stdout_text(self) -> str:
        return "".join(self.out)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def run_once(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sow_sheets", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=60, env={**os.environ, "SOW_SHEETS_LOCK_DIR": str(tmp_path)},
    )  # fmt: skip


def workbook_settings(path: str) -> Settings:
    return Settings(sheet=SheetSettings(workbook=path))


def test_the_target_is_the_resolved_path_or_the_spreadsheet_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    relative = lock_target(workbook_settings("programma.xlsx"))
    assert relative == lock_target(
        workbook_settings(str(tmp_path / "sub" / ".." / "programma.xlsx"))
    )
    assert relative != lock_target(workbook_settings(str(tmp_path / "sub" / "programma.xlsx")))
    key = "1AbC-dEf_123"
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    as_key = lock_target(Settings(sheet=SheetSettings(spreadsheet=key)))
    assert as_key == lock_target(Settings(sheet=SheetSettings(spreadsheet=url)))
    name = lock_path(as_key, tmp_path).name
    assert key not in name and "programma" not in lock_path(relative, tmp_path).name


def test_contention_in_one_process_and_release(tmp_path: Path) -> None:
    settings = workbook_settings(str(tmp_path / "a.xlsx"))
    first = run_lock(settings, tmp_path)
    with first:
        with pytest.raises(RunLockedError) as info:
            run_lock(settings, tmp_path).acquire()
        assert f"process {os.getpid()}" in str(info.value)
        assert "a.xlsx" in str(info.value)
        run_lock(workbook_settings(str(tmp_path / "b.xlsx")), tmp_path).acquire()  # other target
    assert not first.held
    with run_lock(settings, tmp_path) as again:
        assert again.held
    assert first.path.exists()  # never deleted: deleting would race


def test_a_read_only_lock_file_still_locks(tmp_path: Path) -> None:
    lock = RunLock("x", "workbook x.xlsx", tmp_path)
    lock.path.write_text("")
    lock.path.chmod(0o444)
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    with lock, pytest.raises(RunLockedError):
        RunLock("x", "workbook x.xlsx", tmp_path).acquire()


def test_a_running_worker_blocks_sync_and_run_until_it_stops(
    tmp_path: Path, demo_workbook: Path
) -> None:
    book = str(demo_workbook)
    with Process(tmp_path, "run", "--workbook", book) as worker:
        worker.wait_for("worker started")
        sync = run_once(tmp_path, "sync", "--workbook", book)
        assert sync.returncode == 1
        assert "another sow-sheets run or sync is busy with workbook demo.xlsx" in sync.stderr
        second = run_once(tmp_path, "run", "--workbook", book, "--run-now")
        assert second.returncode == 1 and "busy" in second.stderr
        worker.signal(signal.SIGTERM)
        assert worker.exit_code(timeout=10) == 0
    run_lock(workbook_settings(book), tmp_path).acquire()  # released on exit


def test_sync_holds_the_lock_but_a_dry_run_does_not_need_it(
    tmp_path: Path, demo_workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOW_SHEETS_LOCK_DIR", str(tmp_path))
    book = str(demo_workbook)
    out = io.StringIO()
    with run_lock(workbook_settings(book)):
        assert main(["sync", "--dry-run", "--workbook", book], out=out) == 0
        assert main(["sync", "--workbook", book], out=out) == 1
    assert main(["sync", "--workbook", book], out=out) == 0


def test_a_stale_lock_from_a_killed_process_never_blocks(
    tmp_path: Path, demo_workbook: Path
) -> None:
    book = str(demo_workbook)
    take_and_die = (
        "import os, signal\n"
        "from sow_sheets.settings import Settings, SheetSettings\n"
        "from sow_sheets.service.runlock import run_lock\n"
        f"run_lock(Settings(sheet=SheetSettings(workbook={book!r}))).acquire()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "SOW_SHEETS_LOCK_DIR": str(tmp_path)}
    killed = subprocess.run([sys.executable, "-c", take_and_die], cwd=ROOT, env=env, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    lock_file = lock_path(lock_target(workbook_settings(book)), tmp_path)
    assert lock_file.read_text().strip().isdigit()  # the dead holder's pid is still in it
    with run_lock(workbook_settings(book), tmp_path) as lock:
        assert lock.held
        assert lock_file.read_text().strip() == str(os.getpid())
