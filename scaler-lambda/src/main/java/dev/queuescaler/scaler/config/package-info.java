/**
 * The SSM parameter contract: key names, types, defaults and ranges, and the pure parser that turns
 * the raw parameters under the prefix into validated target configurations. A bad value is replaced
 * by its default and reported; it never reaches the policy.
 */
package dev.queuescaler.scaler.config;
