"""The scripting commands, run in-process against an emulator on its own thread."""

from __future__ import annotations

import json

import pytest

from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tui.cli import main

FO = "fo-ids4xf7qagwyc"
AMI = "ami-58d7e821"


@pytest.fixture
def aws(background_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """Point the standard AWS variables at the emulator, as a user would."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_MARKETPLACEIMAGEBUILD", background_emulator.endpoint)
    return background_emulator


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ls_lists_every_page(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    seed_history(aws.world, 400, running=2)
    code, out, err = run(capsys, "ls")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert len(lines) == 400
    assert lines[0].split("\t")[1] == "InProgress"


def test_ls_json_with_filters(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    seed_history(aws.world, 120, running=3)
    code, out, _ = run(capsys, "ls", "--status", "InProgress", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 3
    assert {b["Status"] for b in data} == {"InProgress"}
    assert all("X-Amz-Signature=***" in b["StandardOutputUrl"] for b in data)
    assert aws.calls[-1].params["Filters"] == [{"Name": "status", "Values": ["in-progress"]}]


def test_ls_rejects_unknown_status_word(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["ls", "--status", "done"])
    assert caught.value.code == 2
    assert "unknown build status 'done'" in capsys.readouterr().err


def test_start_then_wait(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    start = ["start", "--fulfillment-option-id", FO, "--source-image-id", AMI]
    start += ["--name", "web server", "--client-token", "tok-9"]
    code, out, _ = run(capsys, *start)
    build_id = out.strip()
    assert code == 0 and build_id in aws.world.by_id
    code, again, _ = run(capsys, *start)
    assert again.strip() == build_id and len(aws.world.records) == 1

    code, out, _ = run(capsys, "wait", build_id, "--timeout", "0")
    assert code == 2 and "InProgress (timed out)" in out
    record = aws.world.by_id[build_id]
    record.outcome = "Succeeded"
    aws.world.advance(record.finish_at - aws.world.now() + 1)
    code, out, _ = run(capsys, "wait", build_id, "--interval", "0.05")
    assert code == 0 and out.startswith(f"{build_id} Succeeded ami-")


def test_wait_on_failure_exits_1(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID

    record = aws.world.add_build(
        offerings=(OFFERINGS_BY_ID[FO],),
        image=IMAGES_BY_ID[AMI],
        name="x y z",
        start=aws.world.now() - 100,
        duration=10,
        outcome="Failed",
    )
    code, out, _ = run(capsys, "wait", record.build_id)
    assert code == 1 and "Failed" in out and ("InstallFailed" in out or "SSMAgentNotFound" in out)


def test_start_error_is_one_line(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "start",
        "--fulfillment-option-id",
        "fo-nope",
        "--source-image-id",
        AMI,
        "--name",
        "web",
    )
    assert code == 1 and out == ""
    assert err.startswith("mpib: A fulfillment option id does not exist")
    assert err.count("\n") == 1


def test_wait_unknown_build(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "wait", "no-such-build")
    assert code == 2 and "no build no-such-build" in err


def test_no_region_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ls")
    assert code == 1
    assert err.startswith("mpib: No AWS region is set") and "Traceback" not in err


def test_wrong_secret(
    aws: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    code, _, err = run(capsys, "ls")
    assert code == 1 and "secret key does not match" in err
    assert "wrong" not in err


START = ["start", "--fulfillment-option-id", FO, "--source-image-id", AMI, "--name", "web"]


@pytest.mark.parametrize("where", ["flag", "subcommand flag", "env"])
def test_start_refused_when_read_only(
    aws: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    argv = {"flag": ["--read-only", *START], "subcommand flag": [*START, "--read-only"]}
    if where == "env":
        monkeypatch.setenv("MPIB_READ_ONLY", "1")
    code, out, err = run(capsys, *argv.get(where, START))
    assert code == 2 and out == ""
    assert "read-only mode" in err
    assert aws.count("StartBuild") == 0


def test_start_checks_fields_before_calling(
    aws: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *START[:-1], "w!", "--sns-topic-arn", "arn:nope")
    assert code == 2
    assert "--name: the image name must be 3 to 128 characters" in err
    assert "--sns-topic-arn: 'arn:nope' is not an SNS topic ARN" in err
    assert aws.count("StartBuild") == 0


def test_logs_prints_clean_text(aws: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.api.test_logs import HOSTILE, add

    record = add(aws, running=False)
    aws.world.logs.overrides[(record.build_id, "stderr")] = HOSTILE
    code, out, err = run(capsys, "logs", record.build_id, "--stderr")
    assert code == 0 and err == ""
    assert "red bad utf8" in out and "pwned" not in out
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in out)


def test_logs_follow_until_the_build_ends(
    aws: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.api.test_logs import add

    record = add(aws, running=True, duration=3)  # ends 1.5 s from now
    code, out, _ = run(capsys, "logs", record.build_id, "--follow", "--interval", "0.2")
    full = aws.world.logs.full(record, "stdout").decode()
    assert code == 0 and out.count("\n") == full.count("\n")
    assert "ERROR: installer exited" in out.splitlines()[-1]
