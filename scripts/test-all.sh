#!/usr/bin/env bash
# The whole suite, as CI runs it: provision the real test host (packages, libvirtd, sshd on
# loopback, the TCG test guest), typecheck, build, then unit, integration and e2e tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "test host"
if [ "$(id -u)" -eq 0 ]; then bash e2e/host/provision.sh; else sudo bash e2e/host/provision.sh; fi

step "typecheck"
npm run --silent typecheck

step "build"
npm run --silent build

step "unit tests"
npx vitest run --project unit

step "integration tests (real virsh, libvirtd, sshd on 127.0.0.1)"
npx vitest run --project integration

step "e2e tests (Chromium, browser mode)"
npx playwright test --config e2e/playwright.config.ts
