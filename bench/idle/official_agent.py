#!/usr/bin/python3
"""Starts the official OCO agent from its sources the way its service unit does (--daemon --config FILE).

Usage: official_agent.py SOURCES STATE_DIR [agent arguments...]

Nothing of the agent's code is changed; only what Debian 12 cannot provide and two fixed paths are bridged:
- `Crypto`: Debian packages pycryptodome under the name `Cryptodome` (python3-pycryptodome); the same modules
  are registered under the name the agent imports.
- `pyedid` and the PyPI `utmp` module are not packaged (Debian's python3-utmp is another API): empty stand-ins.
  The agent only uses them inside inventory calls, which catch the resulting errors (screens, logins empty).
- The agent writes the last server timestamp and the policies it applied to fixed paths in /var/lib/oco-agent;
  both are pointed into STATE_DIR so that a benchmark run leaves the machine as it was (and starts like a fresh
  install: no policies applied before). Its lock file and job staging directory follow TMPDIR, which run.sh sets.
Prints the stand-ins used as the first line, then runs the agent's main().
"""
import importlib
import os
import sys
import types

if len(sys.argv) < 3:
    sys.exit(__doc__)
sources, state_dir = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, sources)

bridged = []
try:
    importlib.import_module('Crypto.Cipher.AES')
except ImportError:
    for name in ('Cryptodome', 'Cryptodome.Cipher', 'Cryptodome.Cipher.AES', 'Cryptodome.Random'):
        sys.modules['Crypto' + name[len('Cryptodome'):]] = importlib.import_module(name)
    bridged.append('Crypto=Cryptodome')
for name in ('pyedid', 'utmp'):
    try:
        module = importlib.import_module(name)
        if name == 'utmp' and not hasattr(module, 'read'):
            raise ImportError('Debian python3-utmp: a different module under the same name')
    except ImportError:
        sys.modules[name] = types.ModuleType(name)
        bridged.append(name + '=empty')
print('official_agent.py: ' + (', '.join(bridged) if bridged else 'no stand-ins'), flush=True)

# The agent derives some defaults from argv[0] at import time; make it look like its installed binary.
sys.argv = ['/usr/share/oco-agent/oco-agent'] + sys.argv[3:]
from oco_agent import base_policy_deployment, oco_agent  # noqa: E402

oco_agent.DEFAULT_TSTAMP_PATH = os.path.join(state_dir, 'oco-agent.timestamp')
policies = base_policy_deployment.BasePolicyDeployment
load_policies = policies.__init__


def load_policies_from_state_dir(self):
    load_policies(self)  # registers the JSON module; may read the fixed path, never writes it
    self.POLICY_CACHE_PATH = os.path.join(state_dir, 'policies.json')
    self.previousPolicies = {}


policies.__init__ = load_policies_from_state_dir
oco_agent.main()
