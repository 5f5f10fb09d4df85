"""LLM tools: the integration's intents, offered to LLM-based assistants.

HA 2026.x builds the Assist API's tools from each integration's ``llm`` platform; HA 2025.4 offers
every registered intent by itself and never loads this module.
"""

from __future__ import annotations

import importlib
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent, llm

from .const import DOMAIN
from .intent import INTENT_READY, INTENT_START

TITLES = {INTENT_START: "Start hot water", INTENT_READY: "Is hot water ready"}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: llm.LLMContext, api_id: str) -> Any:
    """The intents as tools of the Assist API while an installation is loaded."""
    if api_id != llm.LLM_API_ASSIST or not hass.config_entries.async_loaded_entries(DOMAIN):
        return None
    # homeassistant.components.llm exists from HA 2026.x on (the only versions calling this).
    llm_component: Any = importlib.import_module("homeassistant.components.llm")
    intent_tool: Any = llm.IntentTool
    tools = [
        intent_tool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=TITLES[handler.intent_type],
            integration=DOMAIN,
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in TITLES
    ]
    return llm_component.LLMTools(tools=tools)
