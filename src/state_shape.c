/* The az CLI's flattened shapes -> the ARM shape.
 *
 * `az network ...` prints a resource's `properties` flattened to the top level (a subnet from `az network vnet subnet
 * list` has `networkSecurityGroup` beside `id`), children inside too; `az monitor diagnostic-settings list` prints
 * `logs`, `workspaceId` ... at the top level. The rules read ARM paths (`properties.networkSecurityGroup.id`), so such a
 * resource is normalised on reading: every member that is not an ARM envelope member moves into `properties`. A
 * resource is recognised as flattened only when it has no `properties` object and at least one property name this
 * table knows for its type; anything else is left alone (and the rules say its shape was not understood). */
#include "state_index.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct shape {
    const char *type_lc;
    const char *const *markers;   /* property names known for the type (any one identifies a flattened shape) */
    bool sku_in_properties;       /* ARM keeps `sku` inside `properties` for this type (gateways, hubs) */
};

#define LIST(...) (const char *const[]){__VA_ARGS__, NULL}

static const struct shape shapes[] = {
    {"microsoft.network/virtualnetworks",
     LIST("addressSpace", "subnets", "virtualNetworkPeerings", "dhcpOptions", "enableDdosProtection", "resourceGuid",
          "provisioningState", "encryption", "flowTimeoutInMinutes", "bgpCommunities"),
     false},
    {"microsoft.network/virtualnetworks/subnets",
     LIST("addressPrefix", "addressPrefixes", "networkSecurityGroup", "routeTable", "natGateway", "ipConfigurations",
          "delegations", "serviceEndpoints", "privateEndpointNetworkPolicies", "privateLinkServiceNetworkPolicies",
          "defaultOutboundAccess", "serviceAssociationLinks", "resourceNavigationLinks", "purpose", "provisioningState"),
     false},
    {"microsoft.network/virtualnetworks/virtualnetworkpeerings",
     LIST("allowGatewayTransit", "useRemoteGateways", "remoteVirtualNetwork", "allowVirtualNetworkAccess",
          "allowForwardedTraffic", "peeringState", "peeringSyncLevel", "remoteAddressSpace", "provisioningState"),
     false},
    {"microsoft.network/virtualnetworkgateways",
     LIST("gatewayType", "vpnType", "ipConfigurations", "activeActive", "enableBgp", "bgpSettings", "vpnGatewayGeneration",
          "enablePrivateIpAddress", "gatewayDefaultSite", "vpnClientConfiguration", "natRules", "adminState",
          "allowRemoteVnetTraffic", "allowVirtualWanTraffic", "resiliencyModel", "provisioningState", "resourceGuid"),
     true},
    {"microsoft.network/virtualnetworkgateways/ipconfigurations",
     LIST("privateIPAllocationMethod", "privateIpAllocationMethod", "subnet", "publicIPAddress", "publicIpAddress",
          "privateIPAddress", "privateIpAddress", "provisioningState"),
     false},
    {"microsoft.network/connections",
     LIST("connectionType", "connectionStatus", "virtualNetworkGateway1", "virtualNetworkGateway2", "localNetworkGateway2",
          "peer", "useLocalAzureIpAddress", "routingWeight", "enableBgp", "connectionProtocol", "ipsecPolicies",
          "usePolicyBasedTrafficSelectors", "expressRouteGatewayBypass", "tunnelConnectionStatus", "connectionMode",
          "provisioningState"),
     false},
    {"microsoft.network/expressroutecircuits",
     LIST("serviceProviderProperties", "circuitProvisioningState", "serviceProviderProvisioningState", "peerings",
          "authorizations", "expressRoutePort", "bandwidthInGbps", "allowClassicOperations", "globalReachEnabled", "stag",
          "enableDirectPortRateLimit", "provisioningState"),
     false},
    {"microsoft.network/expressroutecircuits/peerings",
     LIST("peeringType", "state", "azureASN", "peerASN", "vlanId", "primaryPeerAddressPrefix", "secondaryPeerAddressPrefix",
          "microsoftPeeringConfig", "ipv6PeeringConfig", "routeFilter", "expressRouteConnection", "provisioningState"),
     false},
    {"microsoft.network/expressroutecircuits/authorizations",
     LIST("authorizationUseStatus", "connectionResourceUri", "provisioningState"), false},
    {"microsoft.network/expressrouteports",
     LIST("peeringLocation", "bandwidthInGbps", "provisionedBandwidthInGbps", "mtu", "encapsulation", "etherType",
          "allocationDate", "links", "circuits", "billingType", "resourceGuid", "provisioningState"),
     false},
    {"microsoft.network/expressrouteports/links",
     LIST("routerName", "interfaceName", "patchPanelId", "rackId", "coloLocation", "connectorType", "adminState",
          "macSecConfig", "provisioningState"),
     false},
    {"microsoft.network/routetables",
     LIST("routes", "subnets", "disableBgpRoutePropagation", "resourceGuid", "provisioningState"), false},
    {"microsoft.network/routetables/routes",
     LIST("addressPrefix", "nextHopType", "nextHopIpAddress", "hasBgpOverride", "provisioningState"), false},
    {"microsoft.network/virtualhubs",
     LIST("virtualWan", "vpnGateway", "expressRouteGateway", "p2SVpnGateway", "azureFirewall", "addressPrefix",
          "virtualHubRouteTableV2s", "routeTable", "routingState", "virtualRouterAsn", "virtualRouterIps",
          "hubRoutingPreference", "allowBranchToBranchTraffic", "virtualNetworkConnections", "provisioningState"),
     true},
    {"microsoft.network/virtualhubs/hubvirtualnetworkconnections",
     LIST("remoteVirtualNetwork", "allowHubToRemoteVnetTransit", "allowRemoteVnetToUseHubVnetGateways",
          "enableInternetSecurity", "routingConfiguration", "provisioningState"),
     false},
    {"microsoft.network/vpngateways",
     LIST("virtualHub", "connections", "bgpSettings", "vpnGatewayScaleUnit", "ipConfigurations", "natRules",
          "isRoutingPreferenceInternet", "enableBgpRouteTranslationForNat", "provisioningState"),
     false},
    {"microsoft.network/vpngateways/vpnconnections",
     LIST("remoteVpnSite", "connectionStatus", "vpnLinkConnections", "routingWeight", "enableBgp", "enableInternetSecurity",
          "vpnConnectionProtocolType", "routingConfiguration", "provisioningState"),
     false},
    {"microsoft.network/vpngateways/vpnconnections/vpnlinkconnections",
     LIST("vpnSiteLink", "connectionStatus", "useLocalAzureIpAddress", "enableBgp", "usePolicyBasedTrafficSelectors",
          "ipsecPolicies", "vpnConnectionProtocolType", "vpnLinkConnectionMode", "provisioningState"),
     false},
    {"microsoft.network/expressroutegateways",
     LIST("virtualHub", "autoScaleConfiguration", "expressRouteConnections", "allowNonVirtualWanTraffic",
          "provisioningState"),
     false},
    {"microsoft.network/expressroutegateways/expressrouteconnections",
     LIST("expressRouteCircuitPeering", "routingWeight", "enableInternetSecurity", "routingConfiguration",
          "expressRouteGatewayBypass", "enablePrivateLinkFastPath", "provisioningState"),
     false},
    {"microsoft.insights/diagnosticsettings",
     LIST("logs", "metrics", "workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "eventHubName",
          "serviceBusRuleId", "marketplacePartnerId", "logAnalyticsDestinationType"),
     false},
};

/* Child collections inside `properties`: the array key and the type of its elements. */
static const struct {
    const char *parent_lc;
    const char *key;
    const char *child_lc;
} children[] = {
    {"microsoft.network/virtualnetworks", "subnets", "microsoft.network/virtualnetworks/subnets"},
    {"microsoft.network/virtualnetworks", "virtualNetworkPeerings", "microsoft.network/virtualnetworks/virtualnetworkpeerings"},
    {"microsoft.network/virtualnetworkgateways", "ipConfigurations", "microsoft.network/virtualnetworkgateways/ipconfigurations"},
    {"microsoft.network/expressroutecircuits", "peerings", "microsoft.network/expressroutecircuits/peerings"},
    {"microsoft.network/expressroutecircuits", "authorizations", "microsoft.network/expressroutecircuits/authorizations"},
    {"microsoft.network/expressrouteports", "links", "microsoft.network/expressrouteports/links"},
    {"microsoft.network/routetables", "routes", "microsoft.network/routetables/routes"},
    {"microsoft.network/virtualhubs", "virtualNetworkConnections", "microsoft.network/virtualhubs/hubvirtualnetworkconnections"},
    {"microsoft.network/virtualhubs", "hubVirtualNetworkConnections", "microsoft.network/virtualhubs/hubvirtualnetworkconnections"},
    {"microsoft.network/vpngateways", "connections", "microsoft.network/vpngateways/vpnconnections"},
    {"microsoft.network/vpngateways/vpnconnections", "vpnLinkConnections",
     "microsoft.network/vpngateways/vpnconnections/vpnlinkconnections"},
    {"microsoft.network/expressroutegateways", "expressRouteConnections",
     "microsoft.network/expressroutegateways/expressrouteconnections"},
};

/* ARM envelope members: they stay at the top level (az also adds resourceGroup). */
static const char *const envelope[] = {"id", "name", "type", "location", "tags", "etag", "sku", "identity", "kind",
                                       "zones", "extendedLocation", "managedBy", "plan", "systemData", "resourceGroup",
                                       "subscriptionId", "tenantId", "properties"};

static const struct shape *shape_of(const char *type_lc)
{
    for (size_t i = 0; type_lc && i < sizeof shapes / sizeof *shapes; i++)
        if (strcmp(shapes[i].type_lc, type_lc) == 0)
            return &shapes[i];
    return NULL;
}

bool state_type_read(const char *type_lc)
{
    return shape_of(type_lc) != NULL;
}

static bool is_envelope(const char *k, const struct shape *sh)
{
    if (sh->sku_in_properties && strcasecmp(k, "sku") == 0)
        return false;
    for (size_t i = 0; i < sizeof envelope / sizeof *envelope; i++)
        if (strcasecmp(k, envelope[i]) == 0)
            return true;
    return false;
}

static bool has_marker(const cJSON *obj, const struct shape *sh)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        for (size_t i = 0; it->string && sh->markers[i]; i++)
            if (strcasecmp(it->string, sh->markers[i]) == 0)
                return true;
    }
    return false;
}

static bool normalise(cJSON *obj, const struct shape *sh);

/* Children of an object already in the ARM shape may still be flattened (az prints `subnets[]` of a VNet flattened). */
static bool normalise_children(cJSON *obj, const struct shape *sh)
{
    cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "properties");
    if (!cJSON_IsObject(props))
        return false;
    bool moved = false;
    for (size_t i = 0; i < sizeof children / sizeof *children; i++) {
        if (strcmp(children[i].parent_lc, sh->type_lc) != 0)
            continue;
        cJSON *arr = NULL, *it;
        cJSON_ArrayForEach(it, props)
        {
            if (it->string && strcasecmp(it->string, children[i].key) == 0)
                arr = it;
        }
        const struct shape *csh = shape_of(children[i].child_lc);
        cJSON_ArrayForEach(it, arr)
        {
            if (cJSON_IsObject(it))
                moved |= normalise(it, csh);
        }
    }
    return moved;
}

static bool normalise(cJSON *obj, const struct shape *sh)
{
    if (!sh || !cJSON_IsObject(obj))
        return false;
    bool moved = false;
    if (!cJSON_GetObjectItemCaseSensitive(obj, "properties") && has_marker(obj, sh)) {
        cJSON *props = cJSON_CreateObject();
        cJSON *it = obj->child;
        while (it) {
            cJSON *next = it->next;
            if (it->string && !is_envelope(it->string, sh)) {
                cJSON *item = cJSON_DetachItemViaPointer(obj, it);
                char *key = sb_xstrdup(item->string);
                cJSON_AddItemToObject(props, key, item);
                free(key);
            }
            it = next;
        }
        cJSON_AddItemToObject(obj, "properties", props);
        moved = true;
    }
    return normalise_children(obj, sh) || moved;
}

bool state_normalise_shape(cJSON *obj, const char *type_lc)
{
    return normalise(obj, shape_of(type_lc));
}
