"""What the emulated account can build: Marketplace fulfillment options and AMIs.

Fixed data, so tests and the README can name real-looking ids. The first
option and images are the ones in the service documentation's CLI example.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Offering:
    """A fulfillment option: which product it installs and on which platforms."""

    fulfillment_option_id: str
    product_id: str
    title: str
    version: str
    platforms: frozenset[str]


@dataclass(frozen=True, slots=True)
class Image:
    """A source AMI visible to the emulated account."""

    id: str
    name: str
    platform: str


LINUX = "linux"
WINDOWS = "windows"

OFFERINGS: tuple[Offering, ...] = (
    Offering(
        "fo-ids4xf7qagwyc",
        "prod-ubuntutest01",
        "Test Ubuntu product",
        "Test 1.0",
        frozenset({LINUX}),
    ),
    Offering("fo-7rqxnginxplus", "prod-nginxplus0001", "NGINX Plus", "R32", frozenset({LINUX})),
    Offering(
        "fo-2k9cishardal2",
        "prod-cisal2level1",
        "CIS Hardened Amazon Linux 2",
        "2.0.14",
        frozenset({LINUX}),
    ),
    Offering(
        "fo-5tsplunkent95", "prod-splunkent0095", "Splunk Enterprise", "9.5.1", frozenset({LINUX})
    ),
    Offering(
        "fo-8ddatadogagnt",
        "prod-datadogagent7",
        "Datadog Agent",
        "7.58.0",
        frozenset({LINUX, WINDOWS}),
    ),
    Offering(
        "fo-3wiishardenws",
        "prod-iishardening22",
        "IIS Hardening for Windows Server",
        "2022.3",
        frozenset({WINDOWS}),
    ),
    Offering(
        "fo-6tdeepsecagnt",
        "prod-trenddeepsec20",
        "Trend Micro Deep Security Agent",
        "20.0.1",
        frozenset({LINUX, WINDOWS}),
    ),
)

IMAGES: tuple[Image, ...] = (
    Image("ami-58d7e821", "Ubuntu 16.04", LINUX),
    Image("ami-86743afe", "Ubuntu 16.04", LINUX),
    Image("ami-0c55b159cbfafe1f0", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server", LINUX),
    Image("ami-0abcdef1234567890", "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", LINUX),
    Image("ami-0f9e8d7c6b5a49382", "Windows_Server-2022-English-Full-Base", WINDOWS),
)

OFFERINGS_BY_ID = {o.fulfillment_option_id: o for o in OFFERINGS}
IMAGES_BY_ID = {i.id: i for i in IMAGES}
