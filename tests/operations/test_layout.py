"""The production layout is described once, in the Procfile (make serve runs it; systemd units are
exported from it); the container files, which cannot run on the machines the portal is developed
on, start the same processes with the same commands."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]


def procfile():
    lines = (PROJECT / "Procfile").read_text().splitlines()
    entries = (line.split(":", 1) for line in lines if line and not line.startswith("#"))
    return {name.strip(): shlex.split(command) for name, command in entries}


def test_compose_runs_every_process_of_the_procfile_from_the_portal_image():
    services = yaml.safe_load((PROJECT / "compose.yaml").read_text())["services"]
    for name, command in procfile().items():
        assert services[name]["command"] == command, name
        assert services[name]["image"] == "compass-portal", name
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert set(procfile()) == {"web", "outbox", "tasks", "scheduler"}


def test_the_image_starts_the_web_process_by_default():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    default = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)
    assert yaml.safe_load(default) == procfile()["web"]


def test_systemd_units_are_exported_from_the_procfile(tmp_path):
    environment = tmp_path / "compass.env"
    environment.write_text("PATH=/srv/portal/.venv/bin:/usr/bin:/bin\n")
    honcho = Path(sys.executable).with_name("honcho")
    export = [honcho, "export", "-a", "compass", "-u", "compass", "-e", environment]
    export += ["-f", PROJECT / "Procfile", "-d", "/srv/portal", "systemd", tmp_path / "units"]
    subprocess.run(export, check=True, capture_output=True)  # noqa: S603 (fixed tool)
    for name, command in procfile().items():
        unit = (tmp_path / "units" / f"compass-{name}-1.service").read_text()
        assert f"ExecStart=/bin/sh -lc '{shlex.join(command)}'" in unit
        assert "WorkingDirectory=/srv/portal" in unit
