/**
 * The step contract (the stable public vocabulary, `shared/spec/step-contract.md`) as the
 * expressions that implement it. The step catalogue marks these, and a unit test checks that every
 * one of them is defined exactly once, so the contract cannot silently lose a step.
 */
export const CONTRACT_STEPS = [
  "a cluster with nodes:",
  "the time is {string}",
  "the random seed is {int}",
  "I apply the manifest:",
  "I apply the manifest file {string}",
  "I run {string}",
  "I try to run {string}",
  "the output is:",
  "the output contains:",
  "the command fails with:",
  "I run {string} on node {string}",
  "node {string} goes down",
  "node {string} comes back",
  "{duration} pass(es)",
  "the image {string} takes {duration} to start",
  "the image {string} takes {duration} to pull",
  "the image {string} does not exist",
  "I request {string}",
  "the response status is {int}",
  "the response body is {string}",
  "a client requests {string} every {duration} for {duration}",
  "the client saw {int} successful and {int} failed requests",
  "the client saw between {int} and {int} failed requests",
  "the client's requests were answered by pods {string}",
  "pod {string} uses {word} of memory",
  "container {string} of pod {string} uses {word} of memory",
  "{word} {string} matches:",
  "{word} {string} in namespace {string} matches:",
  // Additions (second round): namespaces
  "pod {string} in namespace {string} uses {word} of memory",
  "container {string} of pod {string} in namespace {string} uses {word} of memory",
  "pod {string} is {phase}",
  "pod {string} in namespace {string} is {phase}",
  "the logs of pod {string} contain:",
  "the logs of pod {string} in namespace {string} contain:",
  // Additions (second round): output and events
  "the output does not contain:",
  "within {duration} the output of {string} contains:",
  "pod {string} has an event {string}",
  "pod {string} in namespace {string} has an event {string}",
  "the events of pod {string} contain:",
  "the events of pod {string} in namespace {string} contain:",
  // Additions (second round): images and hosts
  "the external host {string} answers:",
] as const;
