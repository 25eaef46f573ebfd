"""The benchmark harness: registry and the summary it reports."""

from __future__ import annotations

from helhed.demo.bench import Measurement, Report, benchmarks


def test_demo_is_a_registered_benchmark():
    assert "demo" in benchmarks()


def test_report_gives_median_min_max_and_rates():
    runs = [
        Measurement(seconds=s, rows={"people.Citizen": 1000},
                    table_seconds={"people.Citizen": s / 2})
        for s in (3.0, 1.0, 2.0)
    ]
    report = Report(runs)
    assert report.seconds() == (2.0, 1.0, 3.0)
    assert report.table_rates() == [("people.Citizen", 1000, 1000.0)]
    assert report.as_dict()["seconds"]["runs"] == [3.0, 1.0, 2.0]
