"""A readable summary of a coding result for the CLI's ``--format text``."""

from __future__ import annotations

from scribe.schemas.coding import ClaimLine, CodingResult


def _muscles(line: ClaimLine) -> str:
    names = []
    for ref in line.muscles:
        side = "" if ref.laterality == "unspecified" else f"{ref.laterality} "
        names.append(f"{side}{ref.name}")
    return ", ".join(names)


def _money(value: float | None) -> str:
    return "no estimate" if value is None else f"${value:,.2f}"


def render_coding_text(result: CodingResult) -> str:
    """Claim lines (code, units, modifiers, payment, muscles) and prompts with their severity."""
    out: list[str] = []
    header = "Coding"
    if result.date_of_service is not None:
        header += f" for date of service {result.date_of_service.isoformat()}"
    if result.payer_policy is not None:
        header += f" (payer policy: {result.payer_policy})"
    out.append(header)
    out.append(f"Billable muscles: {result.muscle_count}")
    out.append("")
    out.append("Claim lines:")
    if not result.lines:
        out.append("  (none)")
    for line in result.lines:
        modifiers = "-".join(line.modifiers)
        code = f"{line.code}-{modifiers}" if modifiers else line.code
        out.append(f"  {code:<16} x{line.units}   {_money(line.payment_estimate)}")
        if line.descriptor:
            out.append(f"      {line.descriptor}")
        if line.muscles:
            count = "" if line.muscle_count is None else f"{line.muscle_count} billable: "
            out.append(f"      muscles ({count}{_muscles(line)})")
    if result.total_payment is not None:
        factor = (
            f", conversion factor {result.conversion_factor:.4f}"
            if result.conversion_factor is not None
            else ""
        )
        out.append(
            f"  Estimated total: {_money(result.total_payment)} "
            f"(Medicare national non-facility rate{factor}; actual payment varies)"
        )
    out.append("")
    out.append("Prompts:")
    if not result.prompts:
        out.append("  (none)")
    for prompt in result.prompts:
        out.append(f"  {prompt.severity.upper():<8} {prompt.id}: {prompt.message}")
    return "\n".join(out) + "\n"
