#!/usr/bin/env bash
# zkCli.sh of Apache ZooKeeper 3.4.10 (bin/), as the image has it at /opt/zookeeper/bin.
# kube-scenario runs what it does in TypeScript (src/images/programs/zookeeper.ts); the text is not copied here.
