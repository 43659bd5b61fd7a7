"""The network: the VPC and its zones, flow logs, custom networking with its pod subnets and
ENIConfigs, and the rules for the endpoint's public ranges."""
