#!/usr/bin/python3
"""Runs the official OCO agent's Linux inventory collection once and prints the JSON it would upload.

Usage: official_inventory.py <path to the OCO-Agent sources, v1.2.0>

This is the body of the agent's doInventoryUpdate() without the HTTP request: the same Inventory methods
in the same order. Only the inventory package is imported (not oco_agent.py with requests/dnspython), which
favours the Python side slightly. Modules Debian does not package are replaced by empty stand-ins and
listed on stderr; the agent catches the resulting errors itself, so those fields come back empty.
"""
import importlib
import json
import sys
import types

if len(sys.argv) != 2:
    sys.exit(__doc__)
sys.path.insert(0, sys.argv[1])

left_out = []
# pyedid: not packaged (screens; the agent also needs xrandr and an X session).
# utmp: the PyPI module the agent uses (utmp.read) is not packaged; Debian's python3-utmp is a different API.
for name in ('netifaces', 'psutil', 'distro', 'usb', 'pyedid', 'utmp'):
    try:
        if name == 'utmp':
            raise ImportError('different module under the same name')
        importlib.import_module(name)
        if name == 'usb':
            importlib.import_module('usb.core')
            importlib.import_module('usb.util')
    except ImportError:
        sys.modules[name] = types.ModuleType(name)
        left_out.append(name)
if left_out:
    print('stubbed modules: ' + ', '.join(left_out), file=sys.stderr)

from oco_agent.linux.inventory import Inventory  # noqa: E402
import datetime  # noqa: E402

config = {'hostname-remove-domain': False, 'debug': False,
          'linux': {'local-users-min-uid': 1000, 'local-users-max-uid': 65534}}
i = Inventory(config)
since = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
data = {
    'hostname': i.getHostname(),
    'agent_version': '1.2.0',
    'os': i.getOs(),
    'os_version': i.getOsVersion(),
    'os_license': i.getIsActivated(),
    'os_language': i.getLocale(),
    'kernel_version': i.getKernelVersion(),
    'architecture': i.getArchitecture(),
    'cpu': i.getCpu(),
    'ram': i.getRam(),
    'gpu': i.getGpu(),
    'serial': i.getMachineSerial(),
    'manufacturer': i.getMachineManufacturer(),
    'model': i.getMachineModel(),
    'bios_version': i.getBiosVersion(),
    'uptime': i.getUptime(),
    'boot_type': i.getUefiOrBios(),
    'secure_boot': i.getSecureBootEnabled(),
    'domain': i.getDomain(),
    'networks': i.getNics(),
    'screens': i.getScreens(),
    'printers': i.getPrinters(),
    'partitions': i.getPartitions(),
    'software': i.getInstalledSoftware(),
    'logins': i.getLogins(since),
    'users': i.getLocalUsers(),
    'battery_level': i.getBatteryLevel(),
    'battery_status': i.getBatteryStatus(),
    'devices': i.getUsbDevices(),
}
json.dump(data, sys.stdout)
sys.stdout.write('\n')
