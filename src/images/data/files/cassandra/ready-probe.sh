#!/bin/bash
# /ready-probe.sh of the cassandra image (kubernetes/examples cassandra/image/files/ready-probe.sh, v13 at commit 37aa34b6):
# exits 0 when the line of `nodetool status` with $POD_IP contains UN (Up, Normal), else 1; with $DEBUG it prints "UN" or "Not Up".
# kube-scenario runs what it does in TypeScript (src/images/programs/cassandra.ts: readyProbe); the text is not copied here.
