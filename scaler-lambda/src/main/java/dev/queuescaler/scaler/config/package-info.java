/**
 * The SSM parameter contract: key names, types, defaults and ranges, and the pure parser that turns
 * the raw parameters under the prefix into validated target configurations. A target's values
 * validate as a whole or give no configuration: a bad value is never replaced by its default.
 */
package dev.queuescaler.scaler.config;
