using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Assist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Emotion",
                table: "Messages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EmotionScore",
                table: "Messages",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AssistantHandedOverAt",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CustomerEmotion",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CustomerEmotionScore",
                table: "Conversations",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Conversations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_CustomerEmotion_Status",
                table: "Conversations",
                columns: new[] { "CustomerEmotion", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_CustomerEmotion_Status",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "Emotion",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "EmotionScore",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AssistantHandedOverAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "CustomerEmotion",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "CustomerEmotionScore",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "Conversations");
        }
    }
}
