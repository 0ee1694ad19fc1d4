"""The production layout is described once, in the Procfile (make serve runs it; systemd units are
exported from it); the container files, which cannot run on the machines the portal is developed
on, start the same processes with the same commands."""

import re
import shlex
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
