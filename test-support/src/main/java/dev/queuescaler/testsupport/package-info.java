/**
 * Real local servers and protocol-level fakes for the modules' tests: ElasticMQ (SQS), dynalite
 * (DynamoDB), AWS JSON 1.1 fakes (ECS, SSM, EventBridge), a UDP listener that speaks the X-Ray
 * daemon protocol, a hand-moved clock. Used by the tests and by the local run (local/); never in a
 * jar that deploys to AWS.
 */
package dev.queuescaler.testsupport;
