"""The fleet as the customer's document describes it
(shared/seed/containerization-master-strategy.md): 22 services in three lists, the
VisionSpace and Daily/PipeCat Dockerfiles, the production compose shape and the Cloud
Run annotations. Only what the document says, plus the defaults it implies.
"""

from __future__ import annotations

SOURCE = "seed:containerization-master-strategy.md"
REGISTRY = "gcr.io/api-for-warp-drive"
REGION = "us-west1"  # CLOUD_ML_REGION and the gcloud deploy region in the document

SYSTEMS = [
    {"slug": "vls-solutions", "name": "VLS Solutions", "owner": "group:vls",
     "description": "The VLS solutions, already containerised."},
    {"slug": "diamond-cli", "name": "Diamond CLI Solutions", "owner": "group:diamond-cli",
     "description": "Diamond CLI solutions, to be containerised (Phase 1)."},
    {"slug": "visionspace-platform", "name": "VisionSpace integration platform", "owner": "group:integrations",
     "description": "Integration containers: Daily.co, PipeCat, VisionSpace automation, key manager, CIG compliance."},
]

VISIONSPACE_DOCKERFILE = """\
# VisionSpace Container
FROM node:24-alpine

WORKDIR /app

# Install video processing tools
RUN apk add --no-cache ffmpeg python3 py3-pip

# Copy VisionSpace automation files
COPY vision-space/ ./vision-space/
COPY services/wish-vision-experience.js ./services/

# Environment setup
ENV VISIONSPACE_ENABLED=true
ENV VIDEO_AUTOMATION=true
ENV VOICE_TO_VIDEO=true
ENV COMPONENT_INTEGRATION=true

EXPOSE 8080 8081

CMD ["node", "vision-space/automation-hub.js"]
"""

DAILY_PIPECAT_DOCKERFILE = """\
# Daily.co PipeCat Integration
FROM python:3.11-slim

WORKDIR /app

# Install Node.js for JavaScript integration
RUN apt-get update && apt-get install -y nodejs npm

# Install PipeCat framework
RUN pip install pipecat-ai

# Copy integration files
COPY integrations/daily-pipecat/ ./
COPY services/video-system/ ./video-system/

# Environment variables
ENV DAILY_API_KEY=${DAILY_API_KEY}
ENV PIPECAT_ENABLED=true
ENV GLOBAL_INFRASTRUCTURE=true
ENV LOW_LATENCY_MODE=true

EXPOSE 7860 8000

CMD ["python", "daily-pipecat-server.py"]
"""

_VLS = [
    ("dr-lucy-flight-memory", "Dr. Lucy Flight Memory", "Flight Memory System"),
    ("dr-burby-s2do-blockchain", "Dr. Burby S2DO Blockchain", "S2DO Governance System"),
    ("professor-lee-q4d-lenz", "Professor Lee Q4D Lenz", "Contextual Understanding"),
    ("dr-sabina-dream-commander", "Dr. Sabina Dream Commander", "Strategic Intelligence"),
    ("dr-memoria-anthology", "Dr. Memoria Anthology", "Automated Publishing"),
    ("dr-match-bid-suite", "Dr. Match Bid Suite", "Procurement Intelligence"),
    ("dr-grant-cybersecurity", "Dr. Grant Cybersecurity", "Security Solutions"),
    ("dr-cypriot-rewards", "Dr. Cypriot Rewards", "Engagement Systems"),
    ("dr-maria-support", "Dr. Maria Support", "Multilingual Support"),
    ("dr-roark-wish-vision", "Dr. Roark Wish Vision", "Wish Fulfillment & VisionSpace"),
    ("dr-claude-orchestrator", "Dr. Claude Orchestrator", "Agent Coordination"),
]

_DIAMOND = [
    ("fyeo-ceo-service", "FYEO CEO Service", "Executive Decision Intelligence", "python"),
    ("website-factory-commands", "Website Factory Commands", "Automated Web Generation", "node"),
    ("high-speed-publishing-pipeline", "High-Speed Publishing Pipeline", "Content Automation", "node"),
    ("prediction-engine", "Prediction Engine", "AI Forecasting", "python"),
    ("diamondSolutionsMenu", "Diamond Solutions Menu", "Command Interface", "node"),
    ("vision-space-auth", "VisionSpace Auth", "Authentication System", "node"),
]


def image_name(slug: str) -> str:
    """Docker repository names are lower case: ``diamondSolutionsMenu`` → ``diamond-solutions-menu``."""
    out = []
    for i, ch in enumerate(slug):
        if ch.isupper() and i and slug[i - 1].islower():
            out.append("-")
        out.append(ch.lower())
    return "".join(out).replace("_", "-").replace(".", "-")


def _service(slug, name, purpose, *, category, status, system, owner, container, tags=(), description="", annotations=None):
    return {
        "slug": slug, "name": name, "purpose": purpose, "category": category, "status": status,
        "system": system, "owner": owner, "tags": list(tags), "description": description,
        "annotations": annotations or {},
        "container": {"image": f"{REGISTRY}/{image_name(slug)}", "tag": "latest", "regions": [REGION], **container},
    }


SERVICES = [
    *[
        _service(slug, name, purpose, category="vls", status="containerised", system="vls-solutions", owner="group:vls",
                 tags=["vls"], container={"ports": [8080], "replicas": 1, "min_instances": 0, "max_instances": 10})
        for slug, name, purpose in _VLS
    ],
    *[
        _service(
            slug, name, purpose, category="diamond_cli", status="needs_containerisation", system="diamond-cli",
            owner="group:diamond-cli", tags=["diamond-cli", runtime],
            # The document's diamond-cli-services compose entry: port 3000, two replicas.
            container={"runtime": runtime, "ports": [3000], "replicas": 2, "min_instances": 1, "max_instances": 10,
                       "cpu": "1", "memory": "512Mi",  # not in the document: the platform's default limits
                       "env": {"DIAMOND_SAO_AUTHORITY": "true", "CLI_MODE": "production"}},
        )
        for slug, name, purpose, runtime in _DIAMOND
    ],
    _service(
        "daily-video-automation", "Daily.co Video Automation", "Video rooms and automation on Daily.co",
        category="integration", status="integration_needed", system="visionspace-platform", owner="group:integrations",
        tags=["daily", "video", "pipecat"],
        description="13 ms median first-hop latency, 75+ points of presence, end-to-end encryption (Daily.co).",
        container={
            "image": f"{REGISTRY}/daily-pipecat", "runtime": "python", "dockerfile": DAILY_PIPECAT_DOCKERFILE,
            "ports": [7860, 8000], "replicas": 2, "min_instances": 1, "max_instances": 20,
            "env": {"PIPECAT_ENABLED": "true", "GLOBAL_INFRASTRUCTURE": "true", "LOW_LATENCY_MODE": "true",
                    "PIPECAT_CONFIG": "production"},
            "secret_refs": [{"env": "DAILY_API_KEY", "key": "daily/api-key"}, {"env": "DAILY_DOMAIN", "key": "daily/domain"}],
        },
    ),
    _service(
        "pipecat-voice-processing", "PipeCat Voice Processing", "Vendor-neutral voice AI pipelines",
        category="integration", status="integration_needed", system="visionspace-platform", owner="group:integrations",
        tags=["pipecat", "voice"],
        container={"runtime": "python", "ports": [7860], "replicas": 2, "min_instances": 1, "max_instances": 20,
                   "env": {"PIPECAT_ENABLED": "true", "LOW_LATENCY_MODE": "true"}},
    ),
    _service(
        "visionspace-automation-hub", "VisionSpace Automation Hub", "Voice-to-video generation for big screens",
        category="integration", status="integration_needed", system="visionspace-platform", owner="group:integrations",
        tags=["visionspace", "video", "voice"],
        description="Speak what you want to see; pulls from all VLS solutions; pop-up centre interface for big screens.",
        annotations={"visionspace.io/build-context": "vision-space"},  # the document builds it from vision-space/
        container={
            "image": f"{REGISTRY}/visionspace", "runtime": "node", "dockerfile": VISIONSPACE_DOCKERFILE,
            "ports": [8080, 8081], "replicas": 3, "min_instances": 1, "max_instances": 100,
            "cpu": "2", "memory": "4Gi",
            "env": {"VISIONSPACE_ENABLED": "true", "VIDEO_AUTOMATION": "true", "VOICE_TO_VIDEO": "true",
                    "COMPONENT_INTEGRATION": "true", "NODE_ENV": "production", "CLOUD_ML_REGION": REGION},
            "cloud_run_annotations": {"run.googleapis.com/cpu-throttling": "false",
                                      "run.googleapis.com/execution-environment": "gen2"},
        },
    ),
    _service(
        "universal-ai-key-manager", "Universal AI Key Manager", "Encrypted AI provider keys for every service",
        category="integration", status="integration_needed", system="visionspace-platform", owner="group:integrations",
        tags=["security", "keys"],
        container={"runtime": "python", "ports": [8080], "replicas": 2, "min_instances": 1, "max_instances": 5},
    ),
    _service(
        "cig-framework-compliance", "CIG Framework Compliance", "Container compliance checks for the fleet",
        category="integration", status="integration_needed", system="visionspace-platform", owner="group:integrations",
        tags=["compliance", "security"],
        container={"runtime": "python", "ports": [8080], "replicas": 1, "min_instances": 0, "max_instances": 3},
    ),
]

VLS_SLUGS = [slug for slug, _, _ in _VLS]
DIAMOND_SLUGS = [slug for slug, _, _, _ in _DIAMOND]

# (source, type, target). "Component Integration: pulls from all VLS solutions automatically."
RELATIONS = [
    *[("visionspace-automation-hub", "dependsOn", vls) for vls in VLS_SLUGS],
    ("visionspace-automation-hub", "dependsOn", "daily-video-automation"),
    ("visionspace-automation-hub", "dependsOn", "pipecat-voice-processing"),
    ("visionspace-automation-hub", "dependsOn", "universal-ai-key-manager"),
    ("daily-video-automation", "dependsOn", "pipecat-voice-processing"),
    ("daily-video-automation", "dependsOn", "universal-ai-key-manager"),
    ("pipecat-voice-processing", "dependsOn", "universal-ai-key-manager"),
    *[("diamondSolutionsMenu", "dependsOn", slug) for slug in DIAMOND_SLUGS if slug != "diamondSolutionsMenu"],
    *[(slug, "dependsOn", "vision-space-auth") for slug in DIAMOND_SLUGS if slug != "vision-space-auth"],
    ("cig-framework-compliance", "dependsOn", "universal-ai-key-manager"),
]
