"""The LLM tagger: labels postings through any OpenAI-compatible chat-completions endpoint, checks every answer
against the posting, caches answers and accounts every token. Plain Python (no Prefect, no Streamlit).

Modules: ``schema`` (the answer), ``prompt`` (the versioned prompt and trimming), ``parse`` (validation and
evidence checks), ``client`` (the only I/O) with ``failures`` (retry decisions, error lines) and ``limits``
(requests per minute), ``pricing`` and ``budget`` (cost), ``tagger`` (many postings: cache, threads, run totals),
``reconcile`` (the hybrid policy), ``modes`` (which postings each mode sends, the final tag of an answer),
``setup`` (the parts built from the settings). The step that runs a mode over stored postings and stores the final
tags is ``pipeline.llm_tagging``.
"""
