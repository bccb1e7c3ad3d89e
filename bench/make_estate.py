#!/usr/bin/python3
"""Write a synthetic enterprise estate for benchmarks: SUBS subscriptions, each with a hub VNet (SUBNETS subnets),
an ExpressRoute gateway, a VPN gateway, a circuit with diagnostic settings and a Direct port.
Usage: make_estate.py SUBS SUBNETS OUT.json [OPEN]
OPEN: the share of workload subnets without an NSG (default: one in three, k % 3 == 0); 1 leaves every one open, and
with OPEN 1 the circuits get no diagnostic settings and the ports' CKNs are not Key Vault secrets either (a worst case
for the PDF's page count)."""
import json, sys

subs, nsub, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
open_share = float(sys.argv[4]) if len(sys.argv) > 4 else None
worst = open_share is not None and open_share >= 1


def has_nsg(k):
    if open_share is None:
        return k % 3 != 0
    return k >= round(open_share * (nsub - 1))

res = []
for i in range(subs):
    s = f"{i:08x}-0000-4000-8000-000000000000"
    rg = f"/subscriptions/{s}/resourceGroups/rg-net/providers/Microsoft.Network"
    vnet = f"{rg}/virtualNetworks/vnet-hub"
    subnets = [{"name": "GatewaySubnet", "id": f"{vnet}/subnets/GatewaySubnet", "properties": {}}]
    for k in range(nsub - 1):
        p = {"networkSecurityGroup": {"id": f"{rg}/networkSecurityGroups/nsg{k}"}} if has_nsg(k) else {}
        subnets.append({"name": f"snet-{k}", "id": f"{vnet}/subnets/snet-{k}", "properties": p})
    res.append({"id": vnet, "type": "Microsoft.Network/virtualNetworks", "properties": {"subnets": subnets}})
    for gw, t in (("ergw", "ExpressRoute"), ("vpngw", "Vpn")):
        res.append({"id": f"{rg}/virtualNetworkGateways/{gw}", "type": "Microsoft.Network/virtualNetworkGateways",
                    "properties": {"gatewayType": t, "vpnType": "RouteBased", "sku": {"name": "VpnGw2"},
                                   "ipConfigurations": [{"properties": {"subnet": {"id": f"{vnet}/subnets/GatewaySubnet"}}}]}})
    res.append({"id": f"{rg}/connections/s2s", "type": "Microsoft.Network/connections",
                "properties": {"connectionType": "IPsec", "virtualNetworkGateway1": {"id": f"{rg}/virtualNetworkGateways/vpngw"}}})
    ckt = f"{rg}/expressRouteCircuits/erc"
    res.append({"id": ckt, "type": "Microsoft.Network/expressRouteCircuits", "properties": {}})
    if i % 2 and not worst:
        res.append({"id": f"{ckt}/providers/microsoft.insights/diagnosticSettings/d", "type": "Microsoft.Insights/diagnosticSettings",
                    "properties": {"workspaceId": "/law", "logs": [{"category": "PeeringRouteLog", "enabled": True}]}})
    port = f"{rg}/expressRoutePorts/port"
    res.append({"id": port, "type": "Microsoft.Network/expressRoutePorts", "identity": {"type": "SystemAssigned"},
                "properties": {"links": [{"id": f"{port}/links/link{n}", "properties": {"macSecConfig": {
                    "cknSecretIdentifier": "ckn-in-plain-config" if worst else "https://kv1.vault.azure.net/secrets/ckn",
                    "cakSecretIdentifier": "https://kv1.vault.azure.net/secrets/cak"}}} for n in (1, 2)]}})
json.dump({"value": res}, open(out, "w"))
print(f"{len(res)} resources, about {subs * (nsub + 5)} results")
