"""Interruption handling: the SQS queue Karpenter reads and the EventBridge rules that feed it.

Karpenter drains a node before EC2 takes it away when it learns of it through this queue.
Facts from Karpenter's getting-started CloudFormation template (v1): the event sources and
detail types, a 300-second retention (messages older than that are moot), SQS-managed
encryption, and a queue policy that lets EventBridge deliver and refuses plain HTTP. Stricter
than that template: only EventBridge may send (no `sqs.amazonaws.com`), and only for this
stack's five rules (`aws:SourceArn`), so no other account's rule can deliver a crafted
interruption that makes Karpenter drain nodes (SQS developer guide: confused-deputy
prevention with aws:SourceArn for EventBridge).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: Karpenter acts on a message within seconds; older ones describe nodes already gone.
MESSAGE_RETENTION_SECONDS = 300
SQS_MANAGED_SSE = True
QUEUE_SENDER = "events.amazonaws.com"

#: Rule name suffix -> EventBridge event pattern.
EVENT_PATTERNS: dict[str, dict[str, Any]] = {
    "spot-interruption": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Spot Instance Interruption Warning"],
    },
    "rebalance": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance Rebalance Recommendation"],
    },
    "instance-state-change": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
    },
    # The docs forward every AWS Health event; Karpenter's parser keeps only EC2 scheduled
    # changes (pkg/controllers/interruption/messages/scheduledchange/parser.go), so only those
    # are sent.
    "scheduled-change": {
        "source": ["aws.health"],
        "detail-type": ["AWS Health Event"],
        "detail": {"service": ["EC2"], "eventTypeCategory": ["scheduledChange"]},
    },
    # Karpenter v1.14's CloudFormation adds it and its controller parses it
    # (messages/capacityreservationinterruption): nodes in a capacity reservation that EC2 is
    # about to reclaim are drained first, like spot nodes.
    "capacity-reservation-interruption": {
        "source": ["aws.ec2"],
        "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"],
    },
}


def event_pattern(rule: str) -> str:
    """The rule's pattern as the JSON string EventBridge takes."""
    return json.dumps(EVENT_PATTERNS[rule], sort_keys=True)


def queue_name(cluster_name: str) -> str:
    """Karpenter's docs name the queue after the cluster (an SQS name allows 80 characters of
    `[A-Za-z0-9_-]`, a cluster name 100)."""
    return cluster_name[:80]


#: EventBridge rule names: 1 to 64 characters of `[.-_A-Za-z0-9]` (botocore events model,
#: RuleName).
RULE_NAME_MAX = 64


def rule_name(cluster_name: str, rule: str) -> str:
    """`<cluster>-<rule>`; a cluster name too long for that is cut and followed by 8 hex
    digits of its hash, so two long names that share a prefix still get distinct rules."""
    name = f"{cluster_name}-{rule}"
    if len(name) <= RULE_NAME_MAX:
        return name
    digest = hashlib.sha256(cluster_name.encode()).hexdigest()[:8]
    keep = RULE_NAME_MAX - len(rule) - len(digest) - 2
    return f"{cluster_name[:keep]}-{digest}-{rule}"


def queue_policy(queue_arn: str, rule_arns: list[str]) -> str:
    """EventBridge may send, for this stack's rules only; nobody may use the queue without
    TLS."""
    return json.dumps({
        "Version": "2012-10-17",
        "Id": "EC2InterruptionPolicy",
        "Statement": [
            {
                "Sid": "AllowEventDelivery",
                "Effect": "Allow",
                "Principal": {"Service": QUEUE_SENDER},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": sorted(rule_arns)}},
            },
            {
                "Sid": "DenyHTTP",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": queue_arn,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }, sort_keys=True)
