"""The interruption queue's rules and policy, matched with moto's EventBridge pattern engine
against events shaped as the EC2 and AWS Health user guides document them."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from moto.events.models import EventPattern

from eks_platform.karpenter.interruption import (
    EVENT_PATTERNS,
    MESSAGE_RETENTION_SECONDS,
    SQS_MANAGED_SSE,
    event_pattern,
    queue_name,
    queue_policy,
    rule_name,
)
from tests.aws_models import service_model


def event(source: str, detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602", "account":
            "123456789012", "time": "2026-11-27T02:00:00Z", "region": "us-west-2",
            "resources": ["arn:aws:ec2:us-west-2:123456789012:instance/i-1234567890abcdef0"],
            "source": source, "detail-type": detail_type, "detail": detail}


INSTANCE = "i-1234567890abcdef0"
EVENTS = {
    "spot-interruption": event("aws.ec2", "EC2 Spot Instance Interruption Warning",
                               {"instance-id": INSTANCE, "instance-action": "terminate"}),
    "rebalance": event("aws.ec2", "EC2 Instance Rebalance Recommendation",
                       {"instance-id": INSTANCE}),
    "instance-state-change": event("aws.ec2", "EC2 Instance State-change Notification",
                                   {"instance-id": INSTANCE, "state": "stopping"}),
    "scheduled-change": event("aws.health", "AWS Health Event", {
        "service": "EC2", "eventTypeCategory": "scheduledChange",
        "eventTypeCode": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED",
        "affectedEntities": [{"entityValue": INSTANCE}]}),
    "capacity-reservation-interruption": event(
        "aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning",
        {"instance-id": INSTANCE, "instance-action": "terminate"}),
}


def matching_rules(sample: dict[str, Any]) -> list[str]:
    return [rule for rule in EVENT_PATTERNS
            if EventPattern.load(event_pattern(rule)).matches_event(cast(Any, sample))]


def test_there_are_the_four_rules_of_the_issue_and_the_capacity_reservation_one() -> None:
    assert sorted(EVENT_PATTERNS) == sorted(EVENTS)


@pytest.mark.parametrize("rule", sorted(EVENTS))
def test_each_event_reaches_exactly_its_rule(rule: str) -> None:
    assert matching_rules(EVENTS[rule]) == [rule]


@pytest.mark.parametrize("detail", [
    {"service": "EC2", "eventTypeCategory": "issue"},
    {"service": "RDS", "eventTypeCategory": "scheduledChange"},
])
def test_health_events_karpenter_ignores_are_not_queued(detail: dict[str, str]) -> None:
    assert matching_rules(event("aws.health", "AWS Health Event", detail)) == []


def test_other_ec2_events_are_not_queued() -> None:
    assert matching_rules(event("aws.ec2", "EC2 AMI State Change", {"State": "available"})) == []


def test_queue_policy_lets_only_the_stacks_rules_send_and_refuses_plain_http() -> None:
    arn = "arn:aws:sqs:us-west-2:123456789012:dev"
    rules = [f"arn:aws:events:us-west-2:123456789012:rule/dev-{n}" for n in ("b", "a")]
    document = json.loads(queue_policy(arn, rules))
    allow, deny = document["Statement"]
    assert allow["Effect"] == "Allow" and allow["Action"] == "sqs:SendMessage"
    # EventBridge only (no sqs.amazonaws.com), and only on behalf of these rules.
    assert allow["Principal"] == {"Service": "events.amazonaws.com"}
    assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": sorted(rules)}}
    assert allow["Resource"] == deny["Resource"] == arn
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "sqs:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_queue_is_encrypted_short_lived_and_named_for_the_cluster() -> None:
    assert SQS_MANAGED_SSE is True
    # SQS accepts retention from 60 seconds to 14 days.
    assert 60 <= MESSAGE_RETENTION_SECONDS <= 14 * 24 * 3600
    assert queue_name("dev") == "dev"
    assert len(queue_name("c" * 100)) == 80


def test_rule_names_fit_eventbridge_and_stay_distinct() -> None:
    import re


    shape = service_model("events").shape_for(
        "RuleName").metadata
    long_a, long_b = "a" * 99 + "x", "a" * 99 + "y"  # EKS allows 100 characters
    names = {rule_name(c, r) for c in ("dev", long_a, long_b)
             for r in EVENT_PATTERNS}
    assert len(names) == 3 * len(EVENT_PATTERNS)
    for name in names:
        assert len(name) <= shape["max"] and re.fullmatch(shape["pattern"], name)
    assert rule_name("dev", "rebalance") == "dev-rebalance"
