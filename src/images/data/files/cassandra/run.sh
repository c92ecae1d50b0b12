#!/bin/bash
# /run.sh of the cassandra image (kubernetes/examples cassandra/image/files/run.sh, v13 at commit 37aa34b6).
# kube-scenario runs what it does in TypeScript (src/images/programs/cassandra.ts: runSh); the text is not copied here.
