package dev.queuescaler.scaler.policy;

/** What a decision does to the service's desired task count. */
public enum Action {
  SCALE_OUT,
  SCALE_IN,
  HOLD
}
