// The dev stack's platform from TypeScript, through the eks-platform package:
//   pulumi package add ../../plugin     (writes sdks/eks-platform, the local SDK)
//   npm install && pulumi stack init dev && pulumi up
// The object below is checked against the package schema (tests/provider/test_examples.py).
import * as eksplatform from "@pulumi/eks-platform";

const eks = new eksplatform.EksPlatform("eks", {
    vpc: {
        cidr: "10.10.0.0/16",
        availabilityZones: 2,
        natGateways: "single",
        flowLogs: { enabled: false },
    },
    endpoint: {
        publicAccess: true,
        // The office's public egress range (replace it).
        publicAccessCidrs: ["192.0.3.0/24"],
    },
    logging: ["api", "audit", "authenticator"],
    logRetentionDays: 90,
    nodeVolumeKmsKey: "awsManaged",
    cni: { mode: "managed", prefixDelegation: true, warmPrefixTarget: 1 },
    addons: { vpcCni: { version: "default" }, coredns: { replicaCount: 2 } },
    nodeGroups: [
        {
            name: "general",
            instanceTypes: ["t3.large", "t3a.large", "m5.large"],
            capacityType: "SPOT",
            minSize: 1,
            maxSize: 4,
            targetPods: 150,
        },
        {
            name: "system",
            instanceTypes: ["t3.large", "t3a.large"],
            minSize: 2,
            maxSize: 3,
            labels: { "node-role": "system" },
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        },
    ],
    karpenter: {
        enabled: true,
        systemNodeGroup: "system",
        nodePools: [
            {
                name: "general",
                instanceFamilies: ["m5", "m6i"],
                instanceSizes: ["large", "xlarge", "2xlarge", "8xlarge"],
                capacityTypes: ["spot", "on-demand"],
                limits: { cpu: 128, memory: "512Gi" },
            },
            {
                name: "arm",
                instanceFamilies: ["m7g"],
                instanceSizes: ["large", "xlarge"],
                architectures: ["arm64"],
                capacityTypes: ["spot"],
                limits: { cpu: 32 },
            },
        ],
    },
    tags: { environment: "dev", "cost-center": "platform" },
});

export const clusterName = eks.clusterName;
export const clusterEndpoint = eks.endpoint;
export const kubeconfig = eks.kubeconfig;
export const oidcIssuerUrl = eks.oidcIssuerUrl;
export const clusterSecurityGroupId = eks.clusterSecurityGroupId;
export const nodeRoleArns = eks.nodeRoleArns;
export const vpcId = eks.vpcId;
