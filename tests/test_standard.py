"""The Singer SDK's standard tap tests of each tap, against the sandbox."""

from __future__ import annotations

from tests.standard_tests import standard_test_class
from tests.taps import CONFIGCAT, INSTATUS, STATUSPAGE

TestTapStatuspageStandard = standard_test_class(STATUSPAGE)
TestTapInstatusStandard = standard_test_class(INSTATUS)
TestTapConfigCatStandard = standard_test_class(CONFIGCAT)
