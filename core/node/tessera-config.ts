/**
 * Tessera 24.x configuration JSON (formats doc §7; Tessera config/Config.java).
 *
 * P2P advertises the node's externally reachable URL (node IP + NodePort) so that partner
 * clusters can reach it; it binds on all pod addresses. Q2T is a unix socket shared with geth in
 * the pod; ThirdParty serves in-cluster clients. TLS is off on P2P, as in the reference charts:
 * payloads are encrypted end to end by Tessera itself.
 */
import { KEY_FILES, PATHS, PORTS, TESSERA_IPC } from "./layout";

export interface TesseraConfigInput {
    /** URL partners and own peers use to reach this node's P2P API. */
    readonly p2pUrl: string;
    /** ThirdParty URL advertised to in-cluster clients. */
    readonly thirdPartyUrl: string;
    /** P2P URLs of every other Tessera in the network. */
    readonly peerUrls: readonly string[];
}

export function buildTesseraConfig(i: TesseraConfigInput): Record<string, unknown> {
    return {
        mode: "tessera",
        useWhiteList: false,
        jdbc: {
            username: "sa",
            password: "",
            url: `jdbc:h2:${PATHS.tesseraDataDir}/db;MODE=Oracle;TRACE_LEVEL_SYSTEM_OUT=0`,
            autoCreateTables: true,
        },
        serverConfigs: [
            { app: "ThirdParty", serverAddress: i.thirdPartyUrl, bindingAddress: `http://0.0.0.0:${PORTS.tesseraThirdParty}`, communicationType: "REST" },
            { app: "Q2T", serverAddress: `unix:${TESSERA_IPC}`, communicationType: "REST" },
            {
                app: "P2P",
                serverAddress: i.p2pUrl,
                bindingAddress: `http://0.0.0.0:${PORTS.tesseraP2p}`,
                sslConfig: { tls: "OFF" },
                communicationType: "REST",
            },
        ],
        peer: i.peerUrls.map((url) => ({ url })),
        keys: {
            keyData: [
                {
                    privateKeyPath: `${PATHS.keys}/${KEY_FILES.tesseraPrivateKey}`,
                    publicKeyPath: `${PATHS.keys}/${KEY_FILES.tesseraPublicKey}`,
                },
            ],
        },
        alwaysSendTo: [],
        features: { enablePrivacyEnhancements: false, enableRemoteKeyValidation: false, enableMultiplePrivateStates: false },
    };
}
