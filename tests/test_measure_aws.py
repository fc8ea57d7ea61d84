"""CloudWatch and Cost Explorer sources: the real boto3 calls against moto's server mode.

No AWS account is reachable from the tests: moto (``ThreadedMotoServer`` on 127.0.0.1)
answers ``PutMetricData``/``GetMetricStatistics`` from what the test stored, and
``GetCostAndUsage`` from results queued through its ``/moto-api/static/ce/...`` endpoint
(moto does not track cost: it returns canned data).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from conftest import write
from measure_helpers import UTC, decision, evidence_lines, free_port, metric
from moto.server import ThreadedMotoServer

from mkdocs_wa.cli import main

AT = dt.datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_ENDPOINT_URL_COST_EXPLORER"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret-never-written")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return moto_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def put(namespace: str, name: str, dims: dict[str, str], points: list[tuple[dt.datetime, float, str]], url: str) -> None:
    cw = boto3.client("cloudwatch", region_name="eu-west-1", endpoint_url=url)
    cw.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {"MetricName": name, "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
             "Timestamp": t, "Value": v, "Unit": unit}
            for t, v, unit in points
        ],
    )


CPU = metric(
    "Idle capacity", "%", "<= 40",
    "cloudwatch:\n  namespace: Test/EC2\n  metric: CPUIdle\n  dimensions: {AutoScalingGroupName: web}\n"
    "  statistic: Average\n  period: 3600",
)
LATENCY = metric(
    "Response time", "s", "<= 1",
    "cloudwatch:\n  namespace: Test/ALB\n  metric: TargetResponseTime\n  statistic: Maximum\n  period: 600",
)


def test_cloudwatch_statistic_over_the_period(aws_env: str, in_tmp: Path, capsys) -> None:
    put("Test/EC2", "CPUIdle", {"AutoScalingGroupName": "web"},
        [(AT - dt.timedelta(minutes=m), v, "Percent") for m, v in ((10, 30.0), (20, 50.0), (90, 99.0))], aws_env)
    put("Test/ALB", "TargetResponseTime", {},
        [(AT - dt.timedelta(minutes=m), v, "Milliseconds") for m, v in ((1, 800.0), (5, 1200.0), (30, 5000.0))], aws_env)
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", CPU + LATENCY))
    code, out, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 0, err
    records = evidence_lines(in_tmp, "web", "WEB-0001")
    # the average of the last hour (30 and 50, not the 99 of 90 minutes ago)
    assert (records[0]["metric"], records[0]["value"], records[0]["unit"]) == ("Idle capacity", 40.0, "%")
    assert records[0]["query"] == (
        "Test/EC2 CPUIdle [AutoScalingGroupName=web] Average over 3600 s ending 2026-11-02T12:00:00Z"
    )
    # the maximum of the last 10 minutes, 1200 ms converted to the metric's seconds
    assert (records[1]["metric"], records[1]["value"], records[1]["unit"]) == ("Response time", 1.2, "s")
    assert records[1]["source"] == "cloudwatch:eu-west-1"
    text = (in_tmp / "decisions/web/evidence/WEB-0001.jsonl").read_text()
    assert "AKIATESTKEY" not in text and "test-secret" not in text


def test_cloudwatch_without_datapoints(aws_env: str, in_tmp: Path, capsys) -> None:
    empty = metric("Queue depth", "", "<= 5", "cloudwatch:\n  namespace: Test/None\n  metric: Nothing")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", empty))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 1
    assert "WEB-0001 'Queue depth': CloudWatch has no datapoints for Test/None Nothing Average over 3600 s" in err


def test_cloudwatch_unit_that_is_not_the_metrics(aws_env: str, in_tmp: Path, capsys) -> None:
    put("Test/Disk", "Used", {}, [(AT - dt.timedelta(minutes=5), 3.0, "Gigabytes")], aws_env)
    wrong = metric("Write latency", "ms", "<= 5", "cloudwatch:\n  namespace: Test/Disk\n  metric: Used")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", CPU + wrong))
    put("Test/EC2", "CPUIdle", {"AutoScalingGroupName": "web"}, [(AT - dt.timedelta(minutes=5), 20.0, "Percent")], aws_env)
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 1
    assert "WEB-0001 'Write latency': wrong unit: the source gives 'GB', the metric is in 'ms'" in err
    assert [r["metric"] for r in evidence_lines(in_tmp, "web", "WEB-0001")] == ["Idle capacity"]


def test_cloudwatch_unreachable(in_tmp: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", CPU))
    code, _, err = run(capsys, "measure", "--timeout", "3")
    assert code == 1
    assert "WEB-0001 'Idle capacity': cannot reach CloudWatch at http://127.0.0.1:" in err


def queue_cost(url: str, amounts: list[tuple[str, str]]) -> None:
    results = {"results": [{"ResultsByTime": [
        {"TimePeriod": {"Start": day, "End": day}, "Total": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}},
         "Groups": [], "Estimated": False}
        for day, amount in amounts
    ]}]}
    request = urllib.request.Request(f"{url}/moto-api/static/ce/cost-and-usage-results", data=json.dumps(results).encode(), method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def test_cost_explorer_sum_over_days(aws_env: str, in_tmp: Path, capsys) -> None:
    queue_cost(aws_env, [("2026-10-31", "10.25"), ("2026-11-01", "12.75")])
    cost = metric("Monthly cost", "USD/month", "<= 100", "cost:\n  days: 2\n  filter: {SERVICE: Amazon EC2}")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", cost))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 0, err
    [record] = evidence_lines(in_tmp, "web", "WEB-0001")
    assert (record["value"], record["unit"], record["kind"]) == (23.0, "USD/month", "cost")
    assert record["query"] == "UnblendedCost from 2026-10-31 to 2026-11-02 (exclusive) where SERVICE=Amazon EC2"


def test_cost_in_another_currency_is_a_wrong_unit(aws_env: str, in_tmp: Path, capsys) -> None:
    queue_cost(aws_env, [("2026-10-31", "1")])
    cost = metric("Monthly cost", "EUR/month", "<= 100", "cost:\n  days: 3")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", cost))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 1
    assert "WEB-0001 'Monthly cost': the cost is in USD but the metric's unit is 'EUR/month'" in err


CUR = """\
identity/LineItemId,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode
a,2026-10-01T00:00:00Z,AmazonEC2,100.0,USD
b,2026-10-20T00:00:00Z,AmazonEC2,40.5,USD
c,2026-10-21T00:00:00Z,AmazonS3,3.25,USD
d,2026-11-01T00:00:00Z,AmazonEC2,9.5,USD
e,2026-11-05T00:00:00Z,AmazonEC2,1000,USD
"""


def test_cost_and_usage_report_csv(in_tmp: Path, capsys) -> None:
    write(in_tmp, "billing/cur.csv", CUR)
    ec2 = metric("EC2 cost", "USD", "<= 60", "cost:\n  report: billing/cur.csv\n  days: 30\n  filter: {lineItem/ProductCode: AmazonEC2}")
    everything = metric("All cost", "USD", "<= 60", "cost:\n  report: billing/cur.csv\n  days: 30")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", ec2 + everything))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T00:00:00Z")
    assert code == 0, err
    records = evidence_lines(in_tmp, "web", "WEB-0001")
    assert [r["value"] for r in records] == [50.0, 53.25]  # 40.5 + 9.5; and + 3.25 (S3)
    assert records[0]["query"] == (
        "sum of lineItem/UnblendedCost from 2026-10-03T00:00:00Z to 2026-11-02T00:00:00Z where lineItem/ProductCode=AmazonEC2"
    )


def test_report_outside_the_project_is_refused(in_tmp: Path, capsys) -> None:
    cost = metric("Cost", "USD", "<= 60", "cost:\n  report: ../../etc/passwd")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", cost))
    code, _, err = run(capsys, "measure")
    assert code == 1
    assert "WEB-0001 'Cost': '../../etc/passwd' is outside the project folder; refused" in err


def test_no_credentials(in_tmp: Path, capsys, monkeypatch) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(in_tmp / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(in_tmp / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    write(in_tmp, "decisions/web/0001-asg.yaml", decision("WEB-0001", CPU))
    code, _, err = run(capsys, "measure")
    assert code == 1
    assert "WEB-0001 'Idle capacity': CloudWatch: no AWS credentials found (environment, ~/.aws, SSO or an instance role)" in err
