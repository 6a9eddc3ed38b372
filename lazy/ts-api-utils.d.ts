/** ts-api-utils, loaded on first use (see ./ts-api-utils.mjs). */
export declare function tsApiUtils(): typeof import("ts-api-utils");
