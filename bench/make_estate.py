#!/usr/bin/python3
"""Write a synthetic enterprise estate for benchmarks: SUBS subscriptions, each with a hub VNet (SUBNETS subnets),
an ExpressRoute gateway, a VPN gateway, a circuit with diagnostic settings and a Direct port.
Usage: make_estate.py SUBS SUBNETS OUT.json"""
import json, sys

subs, nsub, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
res = []
for i in range(subs):
    s = f"{i:08x}-0000-4000-8000-000000000000"
    rg = f"/subscriptions/{s}/resourceGroups/rg-net/providers/Microsoft.Network"
    vnet = f"{rg}/virtualNetworks/vnet-hub"
    subnets = [{"name": "GatewaySubnet", "id": f"{vnet}/subnets/GatewaySubnet", "properties": {}}]
    for k in range(nsub - 1):
        p = {"networkSecurityGroup": {"id": f"{rg}/networkSecurityGroups/nsg{k}"}} if k % 3 else {}
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
    if i % 2:
        res.append({"id": f"{ckt}/providers/microsoft.insights/diagnosticSettings/d", "type": "Microsoft.Insights/diagnosticSettings",
                    "properties": {"workspaceId": "/law", "logs": [{"category": "PeeringRouteLog", "enabled": True}]}})
    port = f"{rg}/expressRoutePorts/port"
    res.append({"id": port, "type": "Microsoft.Network/expressRoutePorts", "identity": {"type": "SystemAssigned"},
                "properties": {"links": [{"id": f"{port}/links/link{n}", "properties": {"macSecConfig": {
                    "cknSecretIdentifier": "https://kv1.vault.azure.net/secrets/ckn",
                    "cakSecretIdentifier": "https://kv1.vault.azure.net/secrets/cak"}}} for n in (1, 2)]}})
json.dump({"value": res}, open(out, "w"))
print(f"{len(res)} resources, about {subs * (nsub + 5)} results")
