"""Where the test data lives."""

from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
RULE_EXAMPLES = TESTS / "rules"
EXAMPLES = ROOT / "examples"
SEEDS = TESTS / "data" / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
