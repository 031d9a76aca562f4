from tests.test_settings import PRODUCTION, run_essaim


def test_a_group_threshold_below_two_stops_start_up_naming_it(tmp_path):
    result = run_essaim(
        "check", tmp_path=tmp_path, **{**PRODUCTION, "ESSAIM_EVALUATION_MIN_GROUP": "1"}
    )

    assert result.returncode == 2
    assert "ESSAIM_EVALUATION_MIN_GROUP=1: expected at least 2" in result.stderr
